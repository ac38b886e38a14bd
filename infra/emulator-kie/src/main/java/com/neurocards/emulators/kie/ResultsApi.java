package com.neurocards.emulators.kie;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves rendered videos: {@code /results/<taskId>/0.mp4}, {@code origin-0.mp4}, {@code 1080p.mp4} — the sample MP4,
 * padded to the task's planned size — while the record is retained (14 days); and {@code GET /api/v1/chat/credit}.
 */
final class ResultsApi {

    private final KieState state;
    private final Responder responder;

    ResultsApi(KieState state, Responder responder) {
        this.state = state;
        this.responder = responder;
    }

    void routes(Router router) {
        router.get("/results/:taskId/:file").handler(this::video);
        router.head("/results/:taskId/:file").handler(this::video);
        router.get("/api/v1/chat/credit").handler(this::credit);
    }

    private void video(RoutingContext ctx) {
        KieTask task = state.tasks.get(ctx.pathParam("taskId"));
        String file = ctx.pathParam("file");
        boolean known = file.equals("0.mp4") || file.equals("origin-0.mp4") || file.equals("1080p.mp4");
        if (task == null
                || !known
                || task.status() != KieTask.Status.SUCCESS
                || !state.clock.instant().isBefore(task.createdAt().plus(state.settings.recordRetention()))) {
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "text/plain")
                    .end("Not Found");
            return;
        }
        Mp4Files.write(
                ctx.response(),
                task.resultSizeBytes(),
                ctx.request().method().name().equals("HEAD"));
    }

    private void credit(RoutingContext ctx) {
        if (state.keys.authenticate(ctx) == null) {
            responder.error(ctx, 401, KieMessages.UNAUTHORIZED);
        } else if (state.maintenance()) {
            responder.error(ctx, 455, KieMessages.MAINTENANCE);
        } else {
            responder.ok(ctx, state.credits(), null);
        }
    }
}
