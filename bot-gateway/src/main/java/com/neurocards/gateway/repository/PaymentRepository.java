package com.neurocards.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.Optional;

/** Stars payments, one row per Telegram charge id. */
@ApplicationScoped
public class PaymentRepository {

    /** A recorded payment. */
    public record Recorded(String chargeId, long userId, String packId, long stars, long credits) {}

    /** Whether this charge is new (and now recorded in the caller's transaction). */
    public Uni<Boolean> record(
            SqlConnection tx, String chargeId, long userId, String packId, long stars, long credits) {
        return tx.preparedQuery("INSERT INTO gateway.payment (charge_id, user_id, pack_id, stars, credits)"
                        + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (charge_id) DO NOTHING")
                .execute(Tuple.of(chargeId, userId, packId, stars, credits))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Marks the user's charge refunded; returns the payment when this call did it (empty when the charge is not this
     * user's, unknown, or was marked before).
     */
    public Uni<Optional<Recorded>> markRefunded(SqlConnection tx, String chargeId, long userId) {
        return tx.preparedQuery("UPDATE gateway.payment SET refunded_at = now()"
                        + " WHERE charge_id = $1 AND user_id = $2 AND refunded_at IS NULL"
                        + " RETURNING charge_id, user_id, pack_id, stars, credits")
                .execute(Tuple.of(chargeId, userId))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row row = it.next();
                    return Optional.of(new Recorded(
                            row.getString("charge_id"),
                            row.getLong("user_id"),
                            row.getString("pack_id"),
                            row.getLong("stars"),
                            row.getLong("credits")));
                });
    }

    /** Whether this user's charge is recorded (refunded or not). */
    public Uni<Boolean> exists(SqlConnection tx, String chargeId, long userId) {
        return tx.preparedQuery("SELECT 1 FROM gateway.payment WHERE charge_id = $1 AND user_id = $2")
                .execute(Tuple.of(chargeId, userId))
                .map(rows -> rows.size() > 0);
    }
}
