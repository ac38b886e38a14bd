package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * What every task read ({@code record-info}, {@code recordInfo}, {@code get-1080p-video}) goes through: auth (401),
 * maintenance (455), a scripted poll outcome, the task lookup with KIE's 422 texts (unknown, wrong family, older than
 * 14 days); then the endpoint's own view. Every poll is recorded.
 */
final class PollFlow {

    /** The endpoint-specific part of a poll. */
    interface View {
        void answer(RoutingContext ctx, KieTask task, Poll poll);
    }

    /** Answers one poll, recording it and honouring a scripted delay. */
    final class Poll {
        private final RoutingContext ctx;
        private final String key;
        private final String taskId;
        private final KieTask.Family family;
        private final Duration delay;

        private Poll(RoutingContext ctx, String key, String taskId, KieTask.Family family, Duration delay) {
            this.ctx = ctx;
            this.key = key;
            this.taskId = taskId;
            this.family = family;
            this.delay = delay;
        }

        void ok(JsonObject data, String stateLabel) {
            record(200, stateLabel);
            JsonObject body = Responder.envelope(200, KieMessages.SUCCESS, data);
            if (family == KieTask.Family.MARKET && state.settings.marketUsesMessageKey()) {
                body.put("message", body.remove("msg"));
            }
            responder.json(ctx, 200, body, delay);
        }

        void error(int code, String msg) {
            record(code, null);
            responder.error(ctx, code, msg, delay);
        }

        private void record(int code, String stateLabel) {
            state.polls.add(new KieRecords.ReceivedPoll(
                    ctx.request().path(), key, taskId, state.clock.instant(), code, stateLabel));
        }
    }

    private final KieState state;
    private final TaskEngine engine;
    private final Responder responder;

    PollFlow(KieState state, TaskEngine engine, Responder responder) {
        this.state = state;
        this.engine = engine;
        this.responder = responder;
    }

    void handle(RoutingContext ctx, KieTask.Family family, View view) {
        String taskId = ctx.request().getParam("taskId");
        String key = state.keys.authenticate(ctx);
        if (key == null) {
            new Poll(ctx, ApiKeys.bearer(ctx), taskId, family, Duration.ZERO).error(401, KieMessages.UNAUTHORIZED);
            return;
        }
        if (state.maintenance()) {
            new Poll(ctx, key, taskId, family, Duration.ZERO).error(455, KieMessages.MAINTENANCE);
            return;
        }
        KieOutcome scripted = state.nextPollScript();
        Poll poll = new Poll(ctx, key, taskId, family, scripted == null ? Duration.ZERO : scripted.delay());
        if (scripted != null && answeredByScript(ctx, scripted, poll)) {
            return;
        }
        if (taskId == null || taskId.isBlank()) {
            poll.error(422, KieMessages.MUST_NOT_BE_EMPTY);
            return;
        }
        KieTask task = state.tasks.get(taskId);
        if (task == null) {
            poll.error(
                    422, family == KieTask.Family.VEO ? KieMessages.RECORD_IS_NULL : KieMessages.MARKET_RECORD_IS_NULL);
            return;
        }
        if (task.family() != family) {
            poll.error(422, KieMessages.WRONG_FAMILY);
            return;
        }
        if (!state.clock.instant().isBefore(task.createdAt().plus(state.settings.recordRetention()))) {
            poll.error(422, KieMessages.RECORD_TOO_OLD);
            return;
        }
        if (scripted != null
                && (scripted.type() == KieOutcome.Type.SUCCESS || scripted.type() == KieOutcome.Type.FAIL)) {
            engine.force(task, scripted);
        }
        view.answer(ctx, task, poll);
    }

    /** Lets the render move on by one poll. */
    void advance(KieTask task) {
        engine.poll(task);
    }

    private boolean answeredByScript(RoutingContext ctx, KieOutcome scripted, Poll poll) {
        switch (scripted.type()) {
            case ENVELOPE_ERROR -> poll.error(scripted.errorCode(), scripted.message());
            case HTTP_ERROR -> {
                poll.record(scripted.httpStatus(), null);
                responder.httpError(ctx, scripted.httpStatus(), scripted.body(), scripted.delay());
            }
            case MALFORMED -> {
                poll.record(200, "MALFORMED");
                responder.malformed(ctx, scripted.delay());
            }
            case DROPPED -> {
                poll.record(0, "DROPPED");
                responder.drop(ctx, scripted.delay());
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
