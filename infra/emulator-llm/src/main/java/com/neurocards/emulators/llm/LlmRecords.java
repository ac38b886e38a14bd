package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the LLM emulator saw, for assertions. Keys are whole here and masked in JSON views; never logged. */
public final class LlmRecords {

    private LlmRecords() {}

    /**
     * One chat-completions call: the body as sent, the HTTP status answered, the outcome applied, and the assistant
     * content returned (null for errors and refusals).
     */
    public record ReceivedRequest(
            String path,
            String apiKey,
            JsonObject body,
            Instant at,
            int status,
            LlmOutcome.Kind outcome,
            String content) {
        /** The {@code image_url} URLs of the request's content parts, in order (data: URLs whole). */
        public List<String> imageUrls() {
            List<String> out = new ArrayList<>();
            JsonArray messages = body == null ? null : body.getJsonArray("messages");
            if (messages == null) {
                return out;
            }
            for (Object m : messages) {
                if (m instanceof JsonObject message && message.getValue("content") instanceof JsonArray parts) {
                    for (Object p : parts) {
                        if (p instanceof JsonObject part
                                && "image_url".equals(part.getString("type"))
                                && part.getValue("image_url") instanceof JsonObject u) {
                            out.add(u.getString("url"));
                        }
                    }
                }
            }
            return out;
        }

        public JsonObject toJson() {
            return new JsonObject()
                    .put("path", path)
                    .put("apiKey", apiKey == null ? null : OpenAiErrors.mask(apiKey))
                    .put("body", body)
                    .put("at", at.toString())
                    .put("status", status)
                    .put("outcome", outcome.name())
                    .put("content", content);
        }
    }
}
