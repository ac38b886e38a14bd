package com.neurocards.billing.ledger;

import java.util.Locale;

/** The kinds of ledger entries; each has its idempotency key shape. */
public enum EntryKind {
    WELCOME,
    DEBIT,
    REFUND,
    TOPUP,
    GRANT,
    /** Credits of a Stars payment Telegram refunded, taken back (as far as the balance allows). */
    CHARGEBACK;

    /** {@code debit:<requestId>}, {@code refund:<jobId>}, {@code topup:<chargeId>}, {@code grant:<key>}, {@code welcome:<userId>},
     * {@code chargeback:<chargeId>}. */
    public String key(String reference) {
        return name().toLowerCase(Locale.ROOT) + ":" + reference;
    }
}
