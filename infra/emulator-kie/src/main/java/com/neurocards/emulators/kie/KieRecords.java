package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the emulator saw and did, kept for test assertions. Keys are kept whole here (tests compare them);
 * they are never logged.
 */
public final class KieRecords {

    private KieRecords() {}

    /** One create request ({@code /veo/generate} or {@code /jobs/createTask}), whatever its answer. */
    public record ReceivedCreate(String path, String apiKey, JsonObject body, Instant at, int code, String taskId) {
        public JsonObject toJson() {
            return new JsonObject()
                    .put("path", path)
                    .put("apiKey", ApiKeys.mask(apiKey))
                    .put("body", body)
                    .put("at", at.toString())
                    .put("code", code)
                    .put("taskId", taskId);
        }
    }

    /** One poll ({@code record-info}, {@code recordInfo}, {@code get-1080p-video}). */
    public record ReceivedPoll(String path, String apiKey, String taskId, Instant at, int code, String state) {
        public JsonObject toJson() {
            return new JsonObject()
                    .put("path", path)
                    .put("apiKey", ApiKeys.mask(apiKey))
                    .put("taskId", taskId)
                    .put("at", at.toString())
                    .put("code", code)
                    .put("state", state);
        }
    }

    /** One file upload; {@code kind} is stream, url or base64. */
    public record ReceivedUpload(
            String kind,
            String apiKey,
            String filePath,
            String fileName,
            long size,
            String mimeType,
            String downloadUrl,
            String sourceUrl,
            Instant at,
            int code) {
        public JsonObject toJson() {
            return new JsonObject()
                    .put("kind", kind)
                    .put("apiKey", ApiKeys.mask(apiKey))
                    .put("filePath", filePath)
                    .put("fileName", fileName)
                    .put("size", size)
                    .put("mimeType", mimeType)
                    .put("downloadUrl", downloadUrl)
                    .put("sourceUrl", sourceUrl)
                    .put("at", at.toString())
                    .put("code", code);
        }
    }

    /**
     * A Telegram file URL (it embeds the bot token) that reached KIE — a secret leak the pipeline must never cause.
     * {@code where} names the request: {@code POST /api/v1/veo/generate}, {@code POST /api/file-url-upload}, ….
     */
    public record LeakedSecret(String where, String url, Instant at) {
        public JsonObject toJson() {
            return new JsonObject().put("where", where).put("url", url).put("at", at.toString());
        }
    }

    /** One callback POST, with its outcome ({@code status} 0 when it did not get an HTTP answer). */
    public record SentCallback(
            String url,
            String taskId,
            JsonObject body,
            String timestamp,
            String signature,
            int status,
            String error,
            Instant at) {
        public JsonObject toJson() {
            return new JsonObject()
                    .put("url", url)
                    .put("taskId", taskId)
                    .put("body", body)
                    .put("timestamp", timestamp)
                    .put("signature", signature)
                    .put("status", status)
                    .put("error", error)
                    .put("at", at.toString());
        }
    }
}
