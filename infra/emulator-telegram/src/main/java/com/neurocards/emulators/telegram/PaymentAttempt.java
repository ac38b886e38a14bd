package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/**
 * A user paying an invoice: the pre_checkout_query sent to the bot and where it ended.
 * PENDING until the bot answers; PAID (a successful_payment message was sent, with the charge id), DECLINED
 * (the bot answered ok=false, with errorMessage) or EXPIRED (no answer within the pre-checkout timeout).
 */
public record PaymentAttempt(
        String preCheckoutQueryId,
        long chatId,
        int invoiceMessageId,
        String payload,
        String currency,
        int totalAmount,
        Status status,
        String errorMessage,
        String telegramPaymentChargeId) {

    public enum Status {
        PENDING,
        PAID,
        DECLINED,
        EXPIRED
    }

    PaymentAttempt with(Status newStatus, String error, String chargeId) {
        return new PaymentAttempt(
                preCheckoutQueryId,
                chatId,
                invoiceMessageId,
                payload,
                currency,
                totalAmount,
                newStatus,
                error,
                chargeId);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("pre_checkout_query_id", preCheckoutQueryId)
                .put("chat_id", chatId)
                .put("invoice_message_id", invoiceMessageId)
                .put("payload", payload)
                .put("currency", currency)
                .put("total_amount", totalAmount)
                .put("status", status.name())
                .put("error_message", errorMessage)
                .put("telegram_payment_charge_id", telegramPaymentChargeId);
    }
}
