package com.neurocards.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The last balance billing told us about, by answer or by event: what the menu shows when billing is slow. */
@ApplicationScoped
public class BalanceRepository {

    private final Pool pool;

    public BalanceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Keeps {@code balance} unless a newer one is already known. */
    public Uni<Void> remember(SqlClient client, long userId, long balance, OffsetDateTime seenAt) {
        return client.preparedQuery(
                        "INSERT INTO gateway.known_balance (user_id, balance, updated_at) VALUES ($1, $2, $3)"
                                + " ON CONFLICT (user_id) DO UPDATE SET balance = $2, updated_at = $3"
                                + " WHERE gateway.known_balance.updated_at <= $3")
                .execute(Tuple.of(userId, balance, seenAt))
                .replaceWithVoid();
    }

    public Uni<Void> remember(long userId, long balance, OffsetDateTime seenAt) {
        return remember(pool, userId, balance, seenAt);
    }

    public Uni<Optional<Long>> lastKnown(long userId) {
        return pool.preparedQuery("SELECT balance FROM gateway.known_balance WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Long>empty()
                        : Optional.of(rows.iterator().next().getLong("balance")));
    }
}
