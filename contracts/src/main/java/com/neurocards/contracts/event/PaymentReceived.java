package com.neurocards.contracts.event;

/** Telegram confirmed a Stars payment for a credit pack. Gateway → billing. */
public record PaymentReceived(
        String chargeId, long userId, long chatId, Language locale, String packId, long stars, long credits)
        implements Event {

    @Override
    public String correlationId() {
        return "payment:" + chargeId;
    }
}
