package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** A button press and, once the bot called answerCallbackQuery, its answer ({@code answered} false until then). */
public record CallbackAnswer(
        String callbackQueryId,
        long chatId,
        int messageId,
        String data,
        boolean answered,
        String text,
        boolean showAlert,
        String url,
        int cacheTime) {

    JsonObject toJson() {
        return new JsonObject()
                .put("callback_query_id", callbackQueryId)
                .put("chat_id", chatId)
                .put("message_id", messageId)
                .put("data", data)
                .put("answered", answered)
                .put("text", text)
                .put("show_alert", showAlert)
                .put("url", url)
                .put("cache_time", cacheTime);
    }
}
