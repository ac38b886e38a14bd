package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** The Market ("jobs") family for Sora 2: {@code POST /api/v1/jobs/createTask}, {@code GET /api/v1/jobs/recordInfo}. */
final class MarketApi {

    private static final Set<String> RATIOS = Set.of("portrait", "landscape");
    private static final Set<String> FRAMES = Set.of("10", "15");
    private static final int MAX_PROMPT = 10_000;

    private final KieState state;
    private final CreateFlow creates;
    private final PollFlow polls;

    MarketApi(KieState state, CreateFlow creates, PollFlow polls) {
        this.state = state;
        this.creates = creates;
        this.polls = polls;
    }

    void routes(Router router) {
        router.post("/api/v1/jobs/createTask")
                .handler(ctx -> creates.handle(ctx, KieTask.Family.MARKET, this::validate));
        router.get("/api/v1/jobs/recordInfo")
                .handler(ctx -> polls.handle(ctx, KieTask.Family.MARKET, this::recordInfo));
    }

    /**
     * Documented defaults are not filled in for required fields: every required field must be sent
     * (docs/outside-services.md#kie-market-tasks).
     */
    CreateFlow.Checked validate(JsonObject body) {
        try {
            String model = Fields.requiredString(body, "model");
            if (!state.settings.marketModels().contains(model)) {
                return CreateFlow.Checked.error(422, KieMessages.MODEL_NOT_PUBLISHED);
            }
            Object rawInput = body.getValue("input");
            if (rawInput == null) {
                return CreateFlow.Checked.error(500, KieMessages.FIELD_REQUIRED);
            }
            if (!(rawInput instanceof JsonObject input)) {
                return CreateFlow.Checked.error(422, "input must be an object");
            }
            String prompt = Fields.requiredString(input, "prompt");
            if (prompt.length() > MAX_PROMPT) {
                return CreateFlow.Checked.error(422, "prompt must be at most " + MAX_PROMPT + " characters");
            }
            List<String> images = Fields.stringList(input, "image_urls");
            if (model.contains("image-to-video")) {
                if (!input.containsKey("image_urls")) {
                    return CreateFlow.Checked.error(500, KieMessages.FIELD_REQUIRED);
                }
                if (images.isEmpty()) {
                    return CreateFlow.Checked.error(422, KieMessages.MUST_NOT_BE_EMPTY);
                }
            } else {
                images = List.of();
            }
            String ratio = Fields.optionalString(input, "aspect_ratio");
            ratio = ratio == null ? "landscape" : ratio;
            if (!RATIOS.contains(ratio)) {
                return CreateFlow.Checked.error(422, "aspect_ratio must be portrait or landscape");
            }
            Object frames = input.getValue("n_frames");
            if (frames != null && !FRAMES.contains(String.valueOf(frames))) {
                return CreateFlow.Checked.error(422, "n_frames must be \"10\" or \"15\"");
            }
            return CreateFlow.Checked.ok(new CreateFlow.Spec(model, prompt, images, ratio, Fields.callbackUrl(body)));
        } catch (Fields.Invalid e) {
            return e.toChecked();
        }
    }

    private void recordInfo(RoutingContext ctx, KieTask task, PollFlow.Poll poll) {
        polls.advance(task);
        JsonObject data = TaskViews.marketRecordInfo(task);
        poll.ok(data, data.getString("state"));
    }
}
