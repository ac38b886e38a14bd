package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** OpenAI's error shape: {@code {"error":{"message","type","param","code"}}} with a real HTTP status. */
final class OpenAiErrors {

    private OpenAiErrors() {}

    static JsonObject body(String message, String type, String param, String code) {
        return new JsonObject()
                .put(
                        "error",
                        new JsonObject()
                                .put("message", message)
                                .put("type", type)
                                .put("param", param)
                                .put("code", code));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    static JsonObject invalidKey(String presented) {
        if (presented == null) {
            return body(
                    "You didn't provide an API key. You need to provide your API key in an Authorization header using"
                            + " Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error",
                    null,
                    null);
        }
        return body(
                "Incorrect API key provided: " + mask(presented) + ". You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                null,
                "invalid_api_key");
    }

    static JsonObject invalidRequest(String message, String param, String code) {
        return body(message, "invalid_request_error", param, code);
    }

    static JsonObject modelNotFound(String model) {
        return body(
                "The model `" + model + "` does not exist or you do not have access to it.",
                "invalid_request_error",
                null,
                "model_not_found");
    }

    static JsonObject serverError(int status) {
        return switch (status) {
            case 503 -> body("The engine is currently overloaded, please try again later.", "server_error", null, null);
            case 502 -> body("Bad gateway.", "server_error", null, null);
            default -> body(
                    "The server had an error while processing your request. Sorry about that!",
                    "server_error",
                    null,
                    null);
        };
    }

    static JsonObject rateLimited(String model, int retryAfterSeconds) {
        return body(
                "Rate limit reached for " + model + " on requests per min (RPM): Limit 3, Used 3, Requested 1. "
                        + "Please try again in " + retryAfterSeconds + "s.",
                "requests",
                null,
                "rate_limit_exceeded");
    }

    /** Like OpenAI's own message: the first 3 and last 4 characters. */
    static String mask(String key) {
        return key.length() <= 8 ? "****" : key.substring(0, 3) + "*".repeat(8) + key.substring(key.length() - 4);
    }
}
