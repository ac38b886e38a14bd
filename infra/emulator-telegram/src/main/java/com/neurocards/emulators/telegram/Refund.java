package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** A refundStarPayment the bot made. */
public record Refund(long userId, String telegramPaymentChargeId, int totalAmount, long date) {

    JsonObject toJson() {
        return new JsonObject()
                .put("user_id", userId)
                .put("telegram_payment_charge_id", telegramPaymentChargeId)
                .put("total_amount", totalAmount)
                .put("date", date);
    }
}
