package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the emulator should do with one create or one poll, when a test scripts it (control API, Java methods) or a
 * prompt marker asks for it. Immutable; the {@code with…} methods return adjusted copies.
 *
 * <ul>
 *   <li>{@link Type#DEFAULT}: behave normally, but apply any overrides set here (polls, render time, result size, delay).</li>
 *   <li>{@link Type#SUCCESS}: the task renders and succeeds (after {@code polls} polls / {@code renderTime}).</li>
 *   <li>{@link Type#FAIL}: the task is accepted, then fails asynchronously with {@code successFlag}/{@code errorCode}/{@code message}
 *       (Market: {@code state=fail}, {@code failCode}, {@code failMsg}).</li>
 *   <li>{@link Type#ENVELOPE_ERROR}: the response is {@code {code, msg, data:null}} (HTTP 200 unless the emulator mirrors statuses);
 *       on a create no task is made.</li>
 *   <li>{@link Type#HTTP_ERROR}: a real HTTP status with a non-JSON body, like a proxy in front of KIE; on a create no task is made.</li>
 *   <li>{@link Type#MALFORMED}: HTTP 200 with a truncated JSON body; on a create the task IS made (the answer was lost, not the work).</li>
 *   <li>{@link Type#DROPPED}: the connection is closed without an answer (a reset); on a create the task IS made.</li>
 * </ul>
 * Any type may carry a {@code delay}: the response is held that long (the work itself is not delayed).
 */
public final class KieOutcome {

    public enum Type {
        DEFAULT,
        SUCCESS,
        FAIL,
        ENVELOPE_ERROR,
        HTTP_ERROR,
        MALFORMED,
        DROPPED
    }

    private final Type type;
    private final Integer polls;
    private final Duration renderTime;
    private final Long resultSizeBytes;
    private final int successFlag;
    private final int errorCode;
    private final String message;
    private final int httpStatus;
    private final String body;
    private final Duration delay;
    private final String resultUrl;

    private KieOutcome(
            Type type,
            Integer polls,
            Duration renderTime,
            Long resultSizeBytes,
            int successFlag,
            int errorCode,
            String message,
            int httpStatus,
            String body,
            Duration delay) {
        this(type, polls, renderTime, resultSizeBytes, successFlag, errorCode, message, httpStatus, body, delay, null);
    }

    private KieOutcome(
            Type type,
            Integer polls,
            Duration renderTime,
            Long resultSizeBytes,
            int successFlag,
            int errorCode,
            String message,
            int httpStatus,
            String body,
            Duration delay,
            String resultUrl) {
        this.type = Objects.requireNonNull(type);
        this.polls = polls;
        this.renderTime = renderTime;
        this.resultSizeBytes = resultSizeBytes;
        this.successFlag = successFlag;
        this.errorCode = errorCode;
        this.message = message;
        this.httpStatus = httpStatus;
        this.body = body;
        this.delay = delay == null ? Duration.ZERO : delay;
        this.resultUrl = resultUrl;
    }

    public static KieOutcome normal() {
        return new KieOutcome(Type.DEFAULT, null, null, null, 0, 0, null, 0, null, null);
    }

    /** Succeeds after the emulator's default number of polls. */
    public static KieOutcome success() {
        return normal().as(Type.SUCCESS);
    }

    /** "generating" for the first {@code polls} polls, success on the next one. */
    public static KieOutcome successAfterPolls(int polls) {
        return success().withPolls(polls);
    }

    /** Asynchronous failure seen at record-info / recordInfo / callback. successFlag 2 or 3 (Veo); errorCode 400/500/501/… */
    public static KieOutcome fail(int successFlag, int errorCode, String message) {
        return new KieOutcome(Type.FAIL, null, null, null, successFlag, errorCode, message, 0, null, null);
    }

    /** The documented asynchronous content-policy rejection ("flagged"). */
    public static KieOutcome contentRejected() {
        return failure("content");
    }

    /**
     * A named asynchronous failure: content, unsafe, minor, people, english, flow, image, internal, timeout, generation.
     */
    public static KieOutcome failure(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "content", "flagged" -> fail(2, 400, KieMessages.FLAGGED_PROMPT);
            case "unsafe", "unsafe-image" -> fail(2, 400, KieMessages.UNSAFE_IMAGE);
            case "minor" -> fail(2, 400, KieMessages.MINOR);
            case "people", "prominent-people" -> fail(2, 400, KieMessages.PROMINENT_PEOPLE);
            case "english" -> fail(2, 400, KieMessages.ENGLISH_ONLY);
            case "flow" -> fail(2, 422, KieMessages.REJECTED_BY_FLOW);
            case "image", "fetch" -> fail(2, 400, KieMessages.IMAGE_FETCH_FAILED);
            case "internal", "500" -> fail(3, 500, KieMessages.INTERNAL_ERROR);
            case "timeout" -> fail(3, 500, KieMessages.TIMEOUT);
            case "generation", "501" -> fail(3, 501, KieMessages.GENERATION_FAILED);
            default -> throw new IllegalArgumentException("unknown failure kind '" + kind
                    + "' (content, unsafe, minor, people, english, flow, image, internal, timeout, generation)");
        };
    }

    /** An envelope error with the documented default text for the code, delivered with HTTP 200. */
    public static KieOutcome envelopeError(int code) {
        return envelopeError(code, KieMessages.forCode(code));
    }

    public static KieOutcome envelopeError(int code, String msg) {
        return new KieOutcome(Type.ENVELOPE_ERROR, null, null, null, 0, code, msg, 0, null, null);
    }

    /** A real HTTP error status with a small HTML body (what a proxy or load balancer answers). */
    public static KieOutcome httpError(int status) {
        return httpError(
                status,
                "<html><head><title>" + status + "</title></head><body><center><h1>" + status
                        + "</h1></center><hr><center>nginx</center></body></html>");
    }

    public static KieOutcome httpError(int status, String body) {
        return new KieOutcome(Type.HTTP_ERROR, null, null, null, 0, 0, null, status, body, null);
    }

    public static KieOutcome malformed() {
        return normal().as(Type.MALFORMED);
    }

    /** No answer at all: the connection is closed once the request is read (on a create, after the task is made). */
    public static KieOutcome dropped() {
        return normal().as(Type.DROPPED);
    }

    /** Normal behaviour, answered only after {@code delay}. */
    public static KieOutcome slow(Duration delay) {
        return normal().withDelay(delay);
    }

    public KieOutcome withPolls(int polls) {
        return new KieOutcome(
                type,
                polls,
                renderTime,
                resultSizeBytes,
                successFlag,
                errorCode,
                message,
                httpStatus,
                body,
                delay,
                resultUrl);
    }

    public KieOutcome withRenderTime(Duration renderTime) {
        return new KieOutcome(
                type,
                polls,
                renderTime,
                resultSizeBytes,
                successFlag,
                errorCode,
                message,
                httpStatus,
                body,
                delay,
                resultUrl);
    }

    /** The result MP4 is padded (with an MP4 {@code free} box) to exactly this many bytes. */
    public KieOutcome withResultSize(long bytes) {
        return new KieOutcome(
                type, polls, renderTime, bytes, successFlag, errorCode, message, httpStatus, body, delay, resultUrl);
    }

    public KieOutcome withDelay(Duration delay) {
        return new KieOutcome(
                type,
                polls,
                renderTime,
                resultSizeBytes,
                successFlag,
                errorCode,
                message,
                httpStatus,
                body,
                delay,
                resultUrl);
    }

    /**
     * The task succeeds with this URL as its result instead of the emulator's own {@code /results/...} one — what a
     * compromised or broken KIE answer could hold (an internal address, a cloud metadata endpoint, plain http).
     */
    public KieOutcome withResultUrl(String url) {
        return new KieOutcome(
                type,
                polls,
                renderTime,
                resultSizeBytes,
                successFlag,
                errorCode,
                message,
                httpStatus,
                body,
                delay,
                url);
    }

    /** Keeps the overrides (polls, size, delay…) of this outcome and takes the kind of {@code other}. */
    KieOutcome mergedWith(KieOutcome other) {
        if (other == null) {
            return this;
        }
        return new KieOutcome(
                other.type == Type.DEFAULT ? type : other.type,
                other.polls != null ? other.polls : polls,
                other.renderTime != null ? other.renderTime : renderTime,
                other.resultSizeBytes != null ? other.resultSizeBytes : resultSizeBytes,
                other.type == Type.DEFAULT ? successFlag : other.successFlag,
                other.type == Type.DEFAULT ? errorCode : other.errorCode,
                other.type == Type.DEFAULT ? message : other.message,
                other.type == Type.DEFAULT ? httpStatus : other.httpStatus,
                other.type == Type.DEFAULT ? body : other.body,
                other.delay.isZero() ? delay : other.delay,
                other.resultUrl != null ? other.resultUrl : resultUrl);
    }

    private KieOutcome as(Type newType) {
        return new KieOutcome(
                newType,
                polls,
                renderTime,
                resultSizeBytes,
                successFlag,
                errorCode,
                message,
                httpStatus,
                body,
                delay,
                resultUrl);
    }

    public Type type() {
        return type;
    }

    /** Nothing shapes this create: the default kind with no override at all (no marker, no script). */
    boolean isPlainDefault() {
        return type == Type.DEFAULT
                && polls == null
                && renderTime == null
                && resultSizeBytes == null
                && delay.isZero()
                && resultUrl == null;
    }

    public Integer polls() {
        return polls;
    }

    public Duration renderTime() {
        return renderTime;
    }

    public Long resultSizeBytes() {
        return resultSizeBytes;
    }

    public int successFlag() {
        return successFlag;
    }

    /** The task errorCode (FAIL) or the envelope code (ENVELOPE_ERROR). */
    public int errorCode() {
        return errorCode;
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String body() {
        return body;
    }

    public Duration delay() {
        return delay;
    }

    /** The result URL a successful task reports instead of its own, or {@code null}. */
    public String resultUrl() {
        return resultUrl;
    }

    /**
     * Reads the control-API form: {@code {"type":"success","polls":3,"renderMillis":0,"sizeBytes":0,"delayMillis":0}},
     * {@code {"type":"fail","kind":"content"}} or {@code {"type":"fail","successFlag":3,"errorCode":501,"message":"…"}},
     * {@code {"type":"envelope","code":402,"msg":"…"}}, {@code {"type":"http","status":503,"body":"…"}},
     * {@code {"type":"malformed"}}, {@code {"type":"dropped"}}, {@code {"type":"slow","delayMillis":5000}}; any of
     * them may carry {@code "resultUrl"} ({@link #withResultUrl}).
     */
    public static KieOutcome fromJson(JsonObject json) {
        String t = json.getString("type", "default").toLowerCase(Locale.ROOT);
        KieOutcome o =
                switch (t) {
                    case "default", "normal", "slow" -> normal();
                    case "success" -> success();
                    case "fail", "failure" -> json.containsKey("kind")
                            ? failure(json.getString("kind"))
                            : fail(
                                    json.getInteger("successFlag", 2),
                                    json.getInteger("errorCode", 400),
                                    json.getString("message", KieMessages.FLAGGED_PROMPT));
                    case "envelope", "error" -> {
                        int code = json.getInteger("code", 500);
                        yield envelopeError(code, json.getString("msg", KieMessages.forCode(code)));
                    }
                    case "http" -> json.containsKey("body")
                            ? httpError(json.getInteger("status", 503), json.getString("body"))
                            : httpError(json.getInteger("status", 503));
                    case "malformed" -> malformed();
                    case "dropped", "drop" -> dropped();
                    default -> throw new IllegalArgumentException("unknown outcome type '" + t + "'");
                };
        if (json.containsKey("polls")) {
            o = o.withPolls(json.getInteger("polls"));
        }
        if (json.containsKey("renderMillis")) {
            o = o.withRenderTime(Duration.ofMillis(json.getLong("renderMillis")));
        }
        if (json.containsKey("sizeBytes")) {
            o = o.withResultSize(json.getLong("sizeBytes"));
        }
        if (json.containsKey("delayMillis")) {
            o = o.withDelay(Duration.ofMillis(json.getLong("delayMillis")));
        }
        if (json.containsKey("resultUrl")) {
            o = o.withResultUrl(json.getString("resultUrl"));
        }
        return o;
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("type", type.name().toLowerCase(Locale.ROOT));
        if (polls != null) j.put("polls", polls);
        if (renderTime != null) j.put("renderMillis", renderTime.toMillis());
        if (resultSizeBytes != null) j.put("sizeBytes", resultSizeBytes);
        if (type == Type.FAIL)
            j.put("successFlag", successFlag).put("errorCode", errorCode).put("message", message);
        if (type == Type.ENVELOPE_ERROR) j.put("code", errorCode).put("msg", message);
        if (type == Type.HTTP_ERROR) j.put("status", httpStatus);
        if (!delay.isZero()) j.put("delayMillis", delay.toMillis());
        if (resultUrl != null) j.put("resultUrl", resultUrl);
        return j;
    }

    @Override
    public String toString() {
        return toJson().encode();
    }
}
