package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/**
 * A Bot API error as Telegram returns it: {@code {"ok":false,"error_code":N,"description":"...","parameters":{...}}}.
 * The HTTP status of the answer equals {@code code}. Also what a test hands to fault injection.
 */
public record BotApiError(int code, String description, Integer retryAfter) {

    public static BotApiError badRequest(String detail) {
        return new BotApiError(400, "Bad Request: " + detail, null);
    }

    public static BotApiError unauthorized() {
        return new BotApiError(401, "Unauthorized", null);
    }

    public static BotApiError forbidden(String detail) {
        return new BotApiError(403, "Forbidden: " + detail, null);
    }

    public static BotApiError blockedByUser() {
        return forbidden("bot was blocked by the user");
    }

    public static BotApiError notFound() {
        return new BotApiError(404, "Not Found", null);
    }

    public static BotApiError conflict(String detail) {
        return new BotApiError(409, "Conflict: " + detail, null);
    }

    public static BotApiError tooLarge() {
        return new BotApiError(413, "Request Entity Too Large", null);
    }

    public static BotApiError tooManyRequests(int retryAfterSeconds) {
        return new BotApiError(429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds);
    }

    public static BotApiError internal() {
        return new BotApiError(500, "Internal Server Error", null);
    }

    public static BotApiError badGateway() {
        return new BotApiError(502, "Bad Gateway", null);
    }

    public JsonObject toJson() {
        JsonObject json =
                new JsonObject().put("ok", false).put("error_code", code).put("description", description);
        if (retryAfter != null) {
            json.put("parameters", new JsonObject().put("retry_after", retryAfter));
        }
        return json;
    }

    /** Thrown inside the emulator to answer the current call with this error. */
    ApiException exception() {
        return new ApiException(this);
    }
}
