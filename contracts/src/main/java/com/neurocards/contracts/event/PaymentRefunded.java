package com.neurocards.contracts.event;

/**
 * Telegram refunded a Stars payment (a {@code refunded_payment} message): the credits it bought are taken back, as
 * far as the balance allows. Gateway → billing.
 *
 * @param chargeId the refunded payment's {@code telegram_payment_charge_id}
 * @param stars    the amount Telegram refunded
 * @param credits  the credits the refunded pack gave (what billing takes back, never below zero)
 */
public record PaymentRefunded(
        String chargeId, long userId, long chatId, Language locale, String packId, long stars, long credits)
        implements Event {

    @Override
    public String correlationId() {
        return "payment:" + chargeId;
    }
}
