package com.neurocards.gateway.repository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The Telegram updates already handled. Claimed in the transaction of the update's effects: a second delivery of
 * the same update (a lost long-polling offset, a webhook retry, two instances) waits on the key, then finds it. Ids
 * past the retention are deleted every {@code neurocards.gateway.update-log.cleaning-interval} (the first time one
 * interval after start).
 */
@ApplicationScoped
public class UpdateLog {

    private static final Logger LOG = Logger.getLogger(UpdateLog.class);
    /** Telegram keeps an unconfirmed update for 24 hours; a week of ids covers any redelivery. */
    static final Duration RETENTION = Duration.ofDays(7);

    private final Pool pool;

    public UpdateLog(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(
            identity = "update-log-cleaning",
            every = "${neurocards.gateway.update-log.cleaning-interval}",
            delayed = "${neurocards.gateway.update-log.cleaning-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldOnSchedule() {
        return forgetOld()
                .invoke(deleted -> LOG.debugf("Forgot %d old Telegram update ids", deleted))
                .onFailure()
                .invoke(failure -> LOG.debugf("Cleaning the update log failed: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes update ids older than the retention; returns how many. */
    public Uni<Integer> forgetOld() {
        return pool.preparedQuery(
                        "DELETE FROM gateway.telegram_update WHERE received_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) RETENTION.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    /** Whether this update is new (and now claimed by the caller's transaction). */
    public Uni<Boolean> claim(SqlConnection tx, long updateId, Long userId) {
        return tx.preparedQuery(
                        "INSERT INTO gateway.telegram_update (update_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(updateId, userId))
                .map(rows -> rows.rowCount() == 1);
    }
}
