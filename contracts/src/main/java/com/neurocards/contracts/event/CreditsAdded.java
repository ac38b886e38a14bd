package com.neurocards.contracts.event;

import java.util.Locale;

/**
 * Credits were added to (or, for a negative support grant, taken from) a user's balance. Billing → notify.
 *
 * @param reference the payment charge id, or the grant's idempotency key
 */
public record CreditsAdded(
        long userId,
        long chatId,
        Language locale,
        long amount,
        long balanceAfter,
        CreditSource source,
        String reference)
        implements Event {

    @Override
    public String correlationId() {
        return source.name().toLowerCase(Locale.ROOT) + ":" + reference;
    }
}
