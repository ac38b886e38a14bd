package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

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
