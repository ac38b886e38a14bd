package com.neurocards.contracts.event;

/** Billing refused to fund a request; nothing was debited. Billing → notify. */
public record GenerationRejected(
        String requestId, long userId, long chatId, Language locale, RejectionReason reason, long balance, long needed)
        implements Event {

    @Override
    public String correlationId() {
        return requestId;
    }
}
