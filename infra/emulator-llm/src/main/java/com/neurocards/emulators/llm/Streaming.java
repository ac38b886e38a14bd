package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code stream:true}: the finished completion re-sent as server-sent {@code chat.completion.chunk} events. */
final class Streaming {

    private Streaming() {}

    static void send(RoutingContext ctx, JsonObject completion) {
        ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        for (Object c : completion.getJsonArray("choices")) {
            JsonObject choice = (JsonObject) c;
            JsonObject message = choice.getJsonObject("message");
            int index = choice.getInteger("index");
            event(
                    ctx,
                    chunk(
                            completion,
                            index,
                            new JsonObject().put("role", "assistant").put("content", ""),
                            null));
            JsonObject delta = message.getValue("refusal") != null
                    ? new JsonObject().put("refusal", message.getValue("refusal"))
                    : new JsonObject().put("content", message.getValue("content"));
            event(ctx, chunk(completion, index, delta, null));
            event(ctx, chunk(completion, index, new JsonObject(), choice.getString("finish_reason")));
        }
        ctx.response().write("data: [DONE]\n\n");
        ctx.response().end();
    }

    private static JsonObject chunk(JsonObject completion, int index, JsonObject delta, String finishReason) {
        return new JsonObject()
                .put("id", completion.getString("id"))
                .put("object", "chat.completion.chunk")
                .put("created", completion.getLong("created"))
                .put("model", completion.getString("model"))
                .put(
                        "choices",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("index", index)
                                        .put("delta", delta)
                                        .put("finish_reason", finishReason)));
    }

    private static void event(RoutingContext ctx, JsonObject data) {
        ctx.response().write("data: " + data.encode() + "\n\n");
    }
}
