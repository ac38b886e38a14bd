package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The test/demo control surface under {@code /control} (plain JSON, no auth) — the HTTP twin of {@link KieEmulator}'s
 * Java methods. See the module README for the endpoint list and the outcome JSON.
 */
final class ControlApi {

    private final KieEmulator emulator;

    ControlApi(KieEmulator emulator) {
        this.emulator = emulator;
    }

    void routes(Router router) {
        router.post("/control/reset").handler(ctx -> done(ctx, () -> emulator.reset()));
        router.post("/control/creates").handler(ctx -> script(ctx, emulator::scriptNextCreates));
        router.post("/control/polls").handler(ctx -> script(ctx, emulator::scriptNextPolls));
        router.get("/control/credits").handler(ctx -> json(ctx, new JsonObject().put("credits", emulator.credits())));
        router.post("/control/credits").handler(ctx -> withBody(ctx, b -> emulator.setCredits(b.getLong("credits"))));
        router.post("/control/maintenance")
                .handler(ctx -> withBody(ctx, b -> emulator.setMaintenance(b.getBoolean("enabled", true))));
        router.post("/control/keys")
                .handler(ctx -> withBody(ctx, b -> {
                    emulator.addApiKey(b.getString("key"));
                    if (b.containsKey("cap")) {
                        emulator.capKeyUsage(b.getString("key"), b.getInteger("cap"));
                    }
                }));
        router.delete("/control/keys/:key")
                .handler(ctx -> done(ctx, () -> emulator.removeApiKey(ctx.pathParam("key"))));
        router.post("/control/hmac").handler(ctx -> withBody(ctx, b -> emulator.setWebhookHmacKey(b.getString("key"))));
        router.post("/control/rate-limit")
                .handler(ctx -> withBody(
                        ctx,
                        b -> emulator.setRateLimit(
                                b.getInteger("creates", 20), Duration.ofMillis(b.getLong("windowMillis", 10_000L)))));
        router.post("/control/clock")
                .handler(ctx ->
                        withBody(ctx, b -> emulator.advanceClock(Duration.ofMillis(b.getLong("advanceMillis", 0L)))));

        router.get("/control/creates").handler(ctx -> list(ctx, emulator.creates(), KieRecords.ReceivedCreate::toJson));
        router.get("/control/polls").handler(ctx -> {
            String taskId = ctx.request().getParam("taskId");
            list(ctx, taskId == null ? emulator.polls() : emulator.polls(taskId), KieRecords.ReceivedPoll::toJson);
        });
        router.get("/control/uploads").handler(ctx -> list(ctx, emulator.uploads(), KieRecords.ReceivedUpload::toJson));
        router.get("/control/leaks")
                .handler(ctx -> list(ctx, emulator.leakedSecrets(), KieRecords.LeakedSecret::toJson));
        router.get("/control/callbacks")
                .handler(ctx -> list(ctx, emulator.callbacks(), KieRecords.SentCallback::toJson));
        router.get("/control/tasks").handler(ctx -> list(ctx, emulator.tasks(), KieTask::toJson));
        router.get("/control/tasks/:id").handler(ctx -> {
            KieTask task = emulator.task(ctx.pathParam("id"));
            if (task == null) {
                ctx.response().setStatusCode(404).end();
            } else {
                json(ctx, task.toJson());
            }
        });
        router.get("/control/state").handler(ctx -> json(ctx, emulator.stateJson()));
    }

    private void script(RoutingContext ctx, ScriptTarget target) {
        withBody(ctx, b -> {
            JsonObject outcome = b.getJsonObject("outcome", b);
            target.script(b.getInteger("count", 1), KieOutcome.fromJson(outcome));
        });
    }

    private interface ScriptTarget {
        KieEmulator script(int count, KieOutcome outcome);
    }

    private static void withBody(RoutingContext ctx, Consumer<JsonObject> action) {
        try {
            String raw = ctx.body().asString();
            action.accept(raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw));
            json(ctx, new JsonObject().put("ok", true));
        } catch (RuntimeException e) {
            ctx.response()
                    .setStatusCode(400)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("error", String.valueOf(e.getMessage()))
                            .encode());
        }
    }

    private static void done(RoutingContext ctx, Runnable action) {
        action.run();
        json(ctx, new JsonObject().put("ok", true));
    }

    private static <T> void list(RoutingContext ctx, List<T> items, Function<T, JsonObject> toJson) {
        JsonArray array = new JsonArray();
        items.forEach(i -> array.add(toJson.apply(i)));
        ctx.response().putHeader("Content-Type", "application/json").end(array.encode());
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
