package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /control} for the LLM emulator: {@code POST /control/reset}, {@code POST /control/next}
 * {@code {"count":N,"outcome":{"type":"500|429|timeout|invalid-json|schema|refusal|length","delayMillis":…}}},
 * {@code POST /control/keys {"key":…}}, {@code GET /control/requests}, {@code GET /control/state}.
 */
final class LlmControlApi {

    private final LlmEmulator emulator;

    LlmControlApi(LlmEmulator emulator) {
        this.emulator = emulator;
    }

    void routes(Router router) {
        router.post("/control/reset").handler(ctx -> {
            emulator.reset();
            ok(ctx);
        });
        router.post("/control/next")
                .handler(ctx -> withBody(
                        ctx,
                        b -> emulator.scriptNext(
                                b.getInteger("count", 1), LlmOutcome.fromJson(b.getJsonObject("outcome", b)))));
        router.post("/control/keys").handler(ctx -> withBody(ctx, b -> emulator.addApiKey(b.getString("key"))));
        router.get("/control/requests").handler(ctx -> {
            JsonArray out = new JsonArray();
            emulator.requests().forEach(r -> out.add(r.toJson()));
            ctx.response().putHeader("Content-Type", "application/json").end(out.encode());
        });
        router.get("/control/state").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(emulator.stateJson().encode()));
    }

    private interface Action {
        void run(JsonObject body);
    }

    private static void withBody(RoutingContext ctx, Action action) {
        try {
            String raw = ctx.body().asString();
            JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
            action.run(body);
            ok(ctx);
        } catch (RuntimeException e) {
            ctx.response()
                    .setStatusCode(400)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("error", String.valueOf(e.getMessage()))
                            .encode());
        }
    }

    private static void ok(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("ok", true).encode());
    }
}
