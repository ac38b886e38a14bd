package com.neurocards.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Payments that need a person ({@code gateway.payment_issue}): kept with the update as Telegram sent it, once per
 * update.
 */
@ApplicationScoped
public class PaymentIssueRepository {

    public enum Kind {
        /** Handling the update kept failing on a bug: the money was taken, nothing was credited. */
        UNPROCESSABLE,
        /** The amount or currency paid does not match the pack the invoice names: not credited. */
        AMOUNT_MISMATCH,
        /** No charge id or an invoice payload that names no pack: not credited. */
        UNREADABLE_INVOICE,
        /** Telegram refunded a charge this gateway never recorded. */
        REFUND_UNMATCHED
    }

    /** Records the issue (on {@code client}: a transaction or the pool); false when this update was recorded before. */
    public Uni<Boolean> record(
            SqlClient client,
            long botId,
            long updateId,
            Kind kind,
            Long userId,
            String chargeId,
            String detail,
            String rawUpdate) {
        return client.preparedQuery("INSERT INTO gateway.payment_issue"
                        + " (bot_id, update_id, kind, user_id, charge_id, detail, raw_update)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (bot_id, update_id) DO NOTHING")
                .execute(Tuple.tuple()
                        .addLong(botId)
                        .addLong(updateId)
                        .addString(kind.name())
                        .addLong(userId)
                        .addString(chargeId)
                        .addString(detail)
                        .addString(rawUpdate))
                .map(rows -> rows.rowCount() == 1);
    }
}
