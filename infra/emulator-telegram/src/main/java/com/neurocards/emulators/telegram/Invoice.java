package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An invoice the bot sent (sendInvoice), with the payload Telegram keeps hidden from the user. */
public record Invoice(
        long chatId,
        int messageId,
        String title,
        String description,
        String payload,
        String currency,
        int totalAmount,
        JsonArray prices) {

    JsonObject toJson() {
        return new JsonObject()
                .put("chat_id", chatId)
                .put("message_id", messageId)
                .put("title", title)
                .put("description", description)
                .put("payload", payload)
                .put("currency", currency)
                .put("total_amount", totalAmount)
                .put("prices", prices.copy());
    }
}
