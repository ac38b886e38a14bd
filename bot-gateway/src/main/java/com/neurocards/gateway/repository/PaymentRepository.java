package com.neurocards.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Stars payments, one row per Telegram charge id. */
@ApplicationScoped
public class PaymentRepository {

    /** Whether this charge is new (and now recorded in the caller's transaction). */
    public Uni<Boolean> record(
            SqlConnection tx, String chargeId, long userId, String packId, long stars, long credits) {
        return tx.preparedQuery("INSERT INTO gateway.payment (charge_id, user_id, pack_id, stars, credits)"
                        + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (charge_id) DO NOTHING")
                .execute(Tuple.of(chargeId, userId, packId, stars, credits))
                .map(rows -> rows.rowCount() == 1);
    }
}
