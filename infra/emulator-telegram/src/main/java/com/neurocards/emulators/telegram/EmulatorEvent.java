package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/**
 * One thing that happened, in order, for "what is new since cursor N" readers (the browser chat page, tests).
 * Types: user_message, bot_message, message_edited, message_deleted, callback_query, callback_answer, chat_action,
 * pre_checkout_query, pre_checkout_answer, payment_expired, refund, blocked, unblocked.
 */
public record EmulatorEvent(long seq, String type, long chatId, Integer messageId, long time, JsonObject data) {

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("seq", seq)
                .put("type", type)
                .put("chat_id", chatId)
                .put("time", time);
        if (messageId != null) {
            json.put("message_id", messageId);
        }
        return json.put("data", data == null ? new JsonObject() : data.copy());
    }
}
