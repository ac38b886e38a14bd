package com.neurocards.gateway.repository;

import com.neurocards.gateway.telegram.BotId;
import com.neurocards.telegram.TelegramConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The Telegram updates already handled, keyed by (bot id, update id): Telegram numbers updates per bot, so a new
 * token on this database must not find the old bot's ids. Claimed in the transaction of the update's effects: a
 * second delivery of the same update (a lost long-polling offset, a webhook retry, two instances) waits on the key,
 * then finds it, and is logged and counted ({@code neurocards.gateway.updates.duplicate}). Ids past the retention
 * are deleted every {@code neurocards.gateway.update-log.cleaning-interval} (the first time one interval after
 * start).
 */
@ApplicationScoped
public class UpdateLog {

    private static final Logger LOG = Logger.getLogger(UpdateLog.class);
    /** Telegram keeps an unconfirmed update for 24 hours; a week of ids covers any redelivery. */
    static final Duration RETENTION = Duration.ofDays(7);

    private final Pool pool;
    private final long botId;
    private final Counter duplicates;

    @Inject
    public UpdateLog(Pool pool, TelegramConfig telegram, MeterRegistry registry) {
        this.pool = pool;
        this.botId = BotId.of(telegram.botToken());
        this.duplicates = Counter.builder("neurocards.gateway.updates.duplicate")
                .description("Telegram updates skipped because this bot had handled them already")
                .register(registry);
    }

    /** This bot's id, the first half of every key. */
    public long botId() {
        return botId;
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

    /** Whether this bot's update is new (and now claimed by the caller's transaction). */
    public Uni<Boolean> claim(SqlConnection tx, long updateId, Long userId) {
        return claim(tx, botId, updateId, userId);
    }

    /** Whether the update of bot {@code bot} is new (and now claimed by the caller's transaction). */
    public Uni<Boolean> claim(SqlConnection tx, long bot, long updateId, Long userId) {
        return tx.preparedQuery("INSERT INTO gateway.telegram_update (bot_id, update_id, user_id) VALUES ($1, $2, $3)"
                        + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(bot, updateId, userId))
                .map(rows -> {
                    boolean fresh = rows.rowCount() == 1;
                    if (!fresh) {
                        duplicates.increment();
                        LOG.infof("Skipped update %d of bot %d (user %s): handled before", updateId, bot, userId);
                    }
                    return fresh;
                });
    }
}
