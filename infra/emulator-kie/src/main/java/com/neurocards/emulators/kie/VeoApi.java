package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** The Veo 3.1 family: {@code POST /api/v1/veo/generate}, {@code GET /api/v1/veo/record-info}, {@code GET /api/v1/veo/get-1080p-video}. */
final class VeoApi {

    private static final Set<String> RATIOS = Set.of("16:9", "9:16", "Auto");
    private static final Set<String> GENERATION_TYPES =
            Set.of("TEXT_2_VIDEO", "FIRST_AND_LAST_FRAMES_2_VIDEO", "REFERENCE_2_VIDEO");

    private final KieState state;
    private final CreateFlow creates;
    private final PollFlow polls;

    VeoApi(KieState state, CreateFlow creates, PollFlow polls) {
        this.state = state;
        this.creates = creates;
        this.polls = polls;
    }

    void routes(Router router) {
        router.post("/api/v1/veo/generate").handler(ctx -> creates.handle(ctx, KieTask.Family.VEO, this::validate));
        router.get("/api/v1/veo/record-info").handler(ctx -> polls.handle(ctx, KieTask.Family.VEO, this::recordInfo));
        router.get("/api/v1/veo/get-1080p-video").handler(ctx -> polls.handle(ctx, KieTask.Family.VEO, this::hdVideo));
    }

    CreateFlow.Checked validate(JsonObject body) {
        try {
            String prompt = Fields.requiredString(body, "prompt");
            String model = Fields.optionalString(body, "model");
            model = model == null || model.isBlank() ? "veo3_fast" : model;
            if (!state.settings.veoModels().contains(model)) {
                return CreateFlow.Checked.error(422, KieMessages.MODEL_NOT_PUBLISHED);
            }
            List<String> images = Fields.stringList(body, "imageUrls");
            String type = Fields.optionalString(body, "generationType");
            if (type == null) {
                type = images.isEmpty() ? "TEXT_2_VIDEO" : "FIRST_AND_LAST_FRAMES_2_VIDEO";
            }
            if (!GENERATION_TYPES.contains(type)) {
                return CreateFlow.Checked.error(422, "generationType must be one of " + GENERATION_TYPES);
            }
            if (type.equals("FIRST_AND_LAST_FRAMES_2_VIDEO") && (images.isEmpty() || images.size() > 2)) {
                return CreateFlow.Checked.error(422, "FIRST_AND_LAST_FRAMES_2_VIDEO needs 1 or 2 imageUrls");
            }
            if (type.equals("REFERENCE_2_VIDEO")) {
                if (images.isEmpty() || images.size() > 3) {
                    return CreateFlow.Checked.error(422, "REFERENCE_2_VIDEO needs 1 to 3 imageUrls");
                }
                if (model.equals("veo3")) {
                    return CreateFlow.Checked.error(422, "REFERENCE_2_VIDEO is only supported by veo3_fast");
                }
            }
            if (type.equals("TEXT_2_VIDEO")) {
                images = List.of(); // a text-to-video task never reads images
            }
            String ratio = aspectRatio(body);
            if (!RATIOS.contains(ratio)) {
                return CreateFlow.Checked.error(422, "aspectRatio must be one of 16:9, 9:16, Auto");
            }
            Object seeds = body.getValue("seeds");
            if (seeds != null && (!(seeds instanceof Number n) || n.intValue() < 10000 || n.intValue() > 99999)) {
                return CreateFlow.Checked.error(422, "seeds must be an integer between 10000 and 99999");
            }
            return CreateFlow.Checked.ok(new CreateFlow.Spec(model, prompt, images, ratio, Fields.callbackUrl(body)));
        } catch (Fields.Invalid e) {
            return e.toChecked();
        }
    }

    /** Which key wins depends on {@link KieSettings.AspectRatioKeys}; the other spelling is then ignored like any unknown key. */
    private String aspectRatio(JsonObject body) {
        String camel = Fields.optionalString(body, "aspectRatio");
        String snake = Fields.optionalString(body, "aspect_ratio");
        String chosen =
                switch (state.settings.aspectRatioKeys()) {
                    case CAMEL_ONLY -> camel;
                    case SNAKE_ONLY -> snake;
                    case BOTH_CAMEL_FIRST -> camel != null ? camel : snake;
                };
        return chosen == null ? "16:9" : chosen;
    }

    private void recordInfo(RoutingContext ctx, KieTask task, PollFlow.Poll poll) {
        polls.advance(task);
        if (state.settings.imageFetchFailureAsEnvelope451() && task.imageCheck() == KieTask.ImageCheck.FAILED) {
            poll.error(451, task.errorMessage());
            return;
        }
        poll.ok(TaskViews.veoRecordInfo(task, state.settings), task.status().name());
    }

    private void hdVideo(RoutingContext ctx, KieTask task, PollFlow.Poll poll) {
        if (task.status() != KieTask.Status.SUCCESS) {
            poll.error(422, KieMessages.RECORD_NOT_SUCCESS);
            return;
        }
        String index = ctx.request().getParam("index", "0");
        if (!index.equals("0")) {
            poll.error(422, "index out of range");
            return;
        }
        int calls;
        synchronized (state) {
            calls = task.countHdPoll();
        }
        if (calls <= state.settings.hdPolls()) {
            poll.error(400, KieMessages.HD_PROCESSING);
            return;
        }
        poll.ok(
                new JsonObject().put("resultUrl", task.resultUrls().get(0).replace("/0.mp4", "/1080p.mp4")),
                "HD_READY");
    }
}
