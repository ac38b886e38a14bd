package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One generation task and its simulated render. Mutated only under the {@link KieState} lock; tests read it through
 * the getters (or {@link #toJson()}).
 */
public final class KieTask {

    public enum Family {
        VEO,
        MARKET
    }

    public enum Status {
        GENERATING,
        SUCCESS,
        FAILED
    }

    /**
     * Whether the task's input images were fetched (URLs must be publicly fetchable by KIE:
     * docs/outside-services.md#kie-video-create).
     */
    public enum ImageCheck {
        PENDING,
        OK,
        FAILED
    }

    private final String id;
    private final Family family;
    private final String model;
    private final String apiKey;
    private final JsonObject request;
    private final Instant createdAt;
    private final String callbackUrl;
    private final List<String> imageUrls;
    private final String aspectRatio;
    private final int cost;
    private final KieOutcome plan;
    private final int pollsBeforeDone;
    private final Duration renderTime;
    private final long resultSizeBytes;

    private Status status = Status.GENERATING;
    private ImageCheck imageCheck;
    private String imageFailure;
    private int polls;
    private int hdPolls;
    private Instant completedAt;
    private int successFlag;
    private Integer errorCode;
    private String errorMessage = "";
    private List<String> resultUrls = List.of();
    private List<String> originUrls = List.of();
    private boolean callbackDue;

    KieTask(
            String id,
            Family family,
            String model,
            String apiKey,
            JsonObject request,
            Instant createdAt,
            String callbackUrl,
            List<String> imageUrls,
            String aspectRatio,
            int cost,
            KieOutcome plan,
            int pollsBeforeDone,
            Duration renderTime,
            long resultSizeBytes) {
        this.id = id;
        this.family = family;
        this.model = model;
        this.apiKey = apiKey;
        this.request = request;
        this.createdAt = createdAt;
        this.callbackUrl = callbackUrl;
        this.imageUrls = List.copyOf(imageUrls);
        this.aspectRatio = aspectRatio;
        this.cost = cost;
        this.plan = plan;
        this.pollsBeforeDone = pollsBeforeDone;
        this.renderTime = renderTime;
        this.resultSizeBytes = resultSizeBytes;
        this.imageCheck = imageUrls.isEmpty() ? ImageCheck.OK : ImageCheck.PENDING;
    }

    /** Whether the simulated render has run its course: enough polls seen and enough time passed. */
    boolean renderDone(Instant now) {
        return polls >= pollsBeforeDone && !now.isBefore(createdAt.plus(renderTime));
    }

    void countPoll() {
        polls++;
    }

    int countHdPoll() {
        return ++hdPolls;
    }

    void imagesChecked(boolean ok, String failure) {
        imageCheck = ok ? ImageCheck.OK : ImageCheck.FAILED;
        imageFailure = failure;
    }

    void succeed(Instant at, List<String> resultUrls, List<String> originUrls) {
        status = Status.SUCCESS;
        completedAt = at;
        successFlag = 1;
        this.resultUrls = List.copyOf(resultUrls);
        this.originUrls = List.copyOf(originUrls);
        callbackDue = callbackUrl != null;
    }

    void fail(Instant at, int successFlag, int errorCode, String message) {
        status = Status.FAILED;
        completedAt = at;
        this.successFlag = successFlag;
        this.errorCode = errorCode;
        this.errorMessage = message;
        callbackDue = callbackUrl != null;
    }

    /** True once: the first caller after completion sends the callback. */
    boolean takeCallbackDue() {
        boolean due = callbackDue;
        callbackDue = false;
        return due;
    }

    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    public String model() {
        return model;
    }

    public String apiKey() {
        return apiKey;
    }

    public JsonObject request() {
        return request.copy();
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String callbackUrl() {
        return callbackUrl;
    }

    public List<String> imageUrls() {
        return imageUrls;
    }
    /** The ratio the emulator honoured (see {@link KieSettings.AspectRatioKeys}). */
    public String aspectRatio() {
        return aspectRatio;
    }

    public int cost() {
        return cost;
    }

    public KieOutcome plan() {
        return plan;
    }

    public long resultSizeBytes() {
        return resultSizeBytes;
    }

    public int pollsBeforeDone() {
        return pollsBeforeDone;
    }

    public Duration renderTime() {
        return renderTime;
    }

    public Status status() {
        return status;
    }

    public ImageCheck imageCheck() {
        return imageCheck;
    }

    public String imageFailure() {
        return imageFailure;
    }

    public int polls() {
        return polls;
    }

    public Instant completedAt() {
        return completedAt;
    }

    public int successFlag() {
        return successFlag;
    }

    public Integer errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public List<String> resultUrls() {
        return resultUrls;
    }

    public List<String> originUrls() {
        return originUrls;
    }

    public boolean terminal() {
        return status != Status.GENERATING;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("taskId", id)
                .put("family", family.name())
                .put("model", model)
                .put("apiKey", ApiKeys.mask(apiKey))
                .put("createdAt", createdAt.toString())
                .put("callBackUrl", callbackUrl)
                .put("imageUrls", new JsonArray(imageUrls))
                .put("aspectRatio", aspectRatio)
                .put("cost", cost)
                .put("plan", plan.toJson())
                .put("status", status.name())
                .put("imageCheck", imageCheck.name())
                .put("imageFailure", imageFailure)
                .put("polls", polls)
                .put("successFlag", successFlag)
                .put("errorCode", errorCode)
                .put("errorMessage", errorMessage)
                .put("resultUrls", new JsonArray(resultUrls))
                .put("resultSizeBytes", resultSizeBytes)
                .put("completedAt", completedAt == null ? null : completedAt.toString());
    }
}
