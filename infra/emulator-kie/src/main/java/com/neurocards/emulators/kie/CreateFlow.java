package com.neurocards.emulators.kie;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What every create ({@code veo/generate}, {@code jobs/createTask}) goes through, in KIE's order: auth (401),
 * maintenance (455), the per-key window (429, dropped not queued), the sub-key cap (433), validation (422/500),
 * scripted outcome, credits (402); then the task is made and its render starts.
 */
final class CreateFlow {

    private static final Logger LOG = Logger.getLogger(CreateFlow.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A valid create, reduced to what the render needs. */
    record Spec(String model, String prompt, List<String> imageUrls, String aspectRatio, String callbackUrl) {}

    /** The validation verdict: a spec, or the envelope error KIE would answer. */
    record Checked(Spec spec, int code, String msg) {
        static Checked ok(Spec spec) {
            return new Checked(spec, 200, null);
        }

        static Checked error(int code, String msg) {
            return new Checked(null, code, msg);
        }
    }

    interface Validator {
        Checked check(JsonObject body);
    }

    private final KieState state;
    private final TaskEngine engine;
    private final Responder responder;

    CreateFlow(KieState state, TaskEngine engine, Responder responder) {
        this.state = state;
        this.engine = engine;
        this.responder = responder;
    }

    void handle(RoutingContext ctx, KieTask.Family family, Validator validator) {
        String path = ctx.request().path();
        String raw = ctx.body() == null ? null : ctx.body().asString();
        JsonObject body = parse(raw);
        state.scanForLeaks("POST " + path, body != null ? body.encode() : raw);
        String key = state.keys.authenticate(ctx);
        if (key == null) {
            reject(ctx, path, ApiKeys.bearer(ctx), body, 401, KieMessages.UNAUTHORIZED, Duration.ZERO);
            return;
        }
        if (state.maintenance()) {
            reject(ctx, path, key, body, 455, KieMessages.MAINTENANCE, Duration.ZERO);
            return;
        }
        KieOutcome scripted = state.nextCreateScript();
        String bucket = state.settings.rateScope() == KieSettings.RateScope.PER_KEY ? key : "account";
        if (!state.limiter.tryAcquire(bucket)) {
            reject(
                    ctx,
                    path,
                    key,
                    body,
                    429,
                    String.format(
                            KieMessages.RATE_LIMITED,
                            state.limiter.limit(),
                            state.limiter.window().toSeconds()),
                    Duration.ZERO);
            return;
        }
        if (!state.keys.tryUse(key)) {
            reject(ctx, path, key, body, 433, KieMessages.SUB_KEY_LIMIT, Duration.ZERO);
            return;
        }
        Checked checked = body == null ? Checked.error(500, KieMessages.FIELD_REQUIRED) : validator.check(body);
        if (checked.spec() == null) {
            reject(ctx, path, key, body, checked.code(), checked.msg(), Duration.ZERO);
            return;
        }
        KieOutcome outcome = markers(checked.spec().prompt()).mergedWith(scripted);
        if (outcome.isPlainDefault()) {
            KieOutcome fault = state.faults.draw(); // the random fault mix, when configured
            if (fault != null) {
                outcome = fault;
            }
        }
        Duration delay = outcome.delay();
        switch (outcome.type()) {
            case ENVELOPE_ERROR -> {
                reject(ctx, path, key, body, outcome.errorCode(), outcome.message(), delay);
                return;
            }
            case HTTP_ERROR -> {
                record(path, key, body, outcome.httpStatus(), null);
                responder.httpError(ctx, outcome.httpStatus(), outcome.body(), delay);
                return;
            }
            default -> {}
        }
        int cost = state.settings.costOf(checked.spec().model());
        if (!state.tryDebit(cost)) {
            reject(ctx, path, key, body, 402, KieMessages.INSUFFICIENT_CREDITS, delay);
            return;
        }
        KieTask task = newTask(family, key, body, checked.spec(), outcome, cost);
        state.tasks.put(task.id(), task);
        record(path, key, body, 200, task.id());
        LOG.debugf("created %s (%s) for key %s", task.id(), task.model(), ApiKeys.mask(key));
        engine.started(task);
        if (outcome.type() == KieOutcome.Type.MALFORMED) {
            responder.malformed(ctx, delay);
        } else if (outcome.type() == KieOutcome.Type.DROPPED) {
            responder.drop(ctx, delay);
        } else {
            responder.ok(ctx, new JsonObject().put("taskId", task.id()), delay);
        }
    }

    private KieTask newTask(
            KieTask.Family family, String key, JsonObject body, Spec spec, KieOutcome outcome, int cost) {
        Instant now = state.clock.instant();
        String id = family == KieTask.Family.VEO ? "veo_task_" + hex(8) : hex(16);
        int polls = outcome.polls() != null ? outcome.polls() : state.settings.renderPolls();
        Duration render = outcome.renderTime() != null ? outcome.renderTime() : state.settings.renderTime();
        long size = outcome.resultSizeBytes() != null ? outcome.resultSizeBytes() : 0;
        return new KieTask(
                id,
                family,
                spec.model(),
                key,
                body,
                now,
                spec.callbackUrl(),
                spec.imageUrls(),
                spec.aspectRatio(),
                cost,
                outcome,
                polls,
                render,
                size);
    }

    private KieOutcome markers(String prompt) {
        try {
            KieOutcome parsed = PromptMarkers.parse(prompt);
            if (parsed == null) {
                return KieOutcome.normal();
            }
            int first = PromptMarkers.firstCreates(prompt);
            return first > 0 && state.countMarkedCreate(prompt) > first ? KieOutcome.normal() : parsed;
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed [kie:…] marker: %s", e.getMessage());
            return KieOutcome.normal();
        }
    }

    private void reject(
            RoutingContext ctx, String path, String key, JsonObject body, int code, String msg, Duration delay) {
        record(path, key, body, code, null);
        responder.error(ctx, code, msg, delay);
    }

    private void record(String path, String key, JsonObject body, int code, String taskId) {
        state.creates.add(new KieRecords.ReceivedCreate(path, key, body, state.clock.instant(), code, taskId));
    }

    static JsonObject parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(raw);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
