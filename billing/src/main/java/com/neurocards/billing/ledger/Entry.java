package com.neurocards.billing.ledger;

/** One ledger entry to append. {@code amount} is signed: negative for a debit. */
public record Entry(
        long userId,
        EntryKind kind,
        long amount,
        String requestId,
        String jobId,
        String chargeId,
        String reason,
        String idempotencyKey) {

    public static Entry debit(long userId, String requestId, long price) {
        return new Entry(userId, EntryKind.DEBIT, -price, requestId, null, null, null, EntryKind.DEBIT.key(requestId));
    }

    public static Entry refund(long userId, String requestId, String jobId, long price, String reason) {
        return new Entry(userId, EntryKind.REFUND, price, requestId, jobId, null, reason, EntryKind.REFUND.key(jobId));
    }

    public static Entry topUp(long userId, String chargeId, long credits) {
        return new Entry(userId, EntryKind.TOPUP, credits, null, null, chargeId, null, EntryKind.TOPUP.key(chargeId));
    }

    /** Takes back {@code credits} (positive) of a refunded payment, once per charge id. */
    public static Entry chargeback(long userId, String chargeId, long credits, String reason) {
        return new Entry(
                userId,
                EntryKind.CHARGEBACK,
                -credits,
                null,
                null,
                chargeId,
                reason,
                EntryKind.CHARGEBACK.key(chargeId));
    }

    public static Entry grant(long userId, long amount, String reason, String key) {
        return new Entry(userId, EntryKind.GRANT, amount, null, null, null, reason, EntryKind.GRANT.key(key));
    }

    public static Entry welcome(long userId, long credits) {
        return new Entry(
                userId,
                EntryKind.WELCOME,
                credits,
                null,
                null,
                null,
                null,
                EntryKind.WELCOME.key(Long.toString(userId)));
    }
}
