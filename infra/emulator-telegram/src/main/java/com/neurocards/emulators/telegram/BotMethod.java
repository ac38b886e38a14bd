package com.neurocards.emulators.telegram;

import io.vertx.core.Future;

/** One Bot API method: parameters in, the "result" value out (JsonObject, JsonArray, Boolean), or an ApiException. */
@FunctionalInterface
interface BotMethod {
    Future<Object> call(ApiParams params);
}
