package com.neurocards.gateway.telegram;

import com.neurocards.telegram.TelegramConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Which gateway instance polls the bot. Telegram allows one {@code getUpdates} per bot at a time (a second one is
 * answered 409), so of several gateways in polling mode exactly one polls and the others stand by. The lease is a
 * PostgreSQL session advisory lock keyed by the bot id, held on one connection for as long as this instance polls:
 * when the process dies (even {@code kill -9}) the database closes its session and the lock is free for a standby
 * at its next try ({@code neurocards.gateway.polling.standby-check}). Nothing has to expire, and a lease is never
 * held by a dead instance. Called from the polling thread only: blocking is fine there.
 */
@ApplicationScoped
public class PollingLease {

    private static final Logger LOG = Logger.getLogger(PollingLease.class);
    private static final Duration DATABASE_WAIT = Duration.ofSeconds(10);
    /**
     * How long a held lease is trusted without asking its session: a busy poller fetches updates many times a second,
     * and a round trip to the database before each fetch would add to every reply. A session that ended meanwhile is
     * noticed within this time (a standby taking over in that second costs at most a 409 on a fetch).
     */
    static final Duration RECHECK = Duration.ofSeconds(1);
    /** The first key of the two-key advisory lock: this lease's own space, so no other lock in the database clashes. */
    static final int LOCK_SPACE = 0x4e435447; // "NCTG"

    private final Pool pool;
    private final long botId;
    private volatile SqlConnection held;
    private long checkedAt;

    public PollingLease(Pool pool, TelegramConfig telegram, MeterRegistry registry) {
        this.pool = pool;
        this.botId = BotId.of(telegram.botToken());
        Gauge.builder("neurocards.gateway.polling.leader", this, lease -> lease.held != null ? 1 : 0)
                .description("1 on the gateway instance that polls Telegram, 0 on a standby")
                .register(registry);
    }

    /**
     * True when this instance holds the lease: kept from before (and its session alive when last asked, at most
     * {@link #RECHECK} ago), or taken now. False when another instance polls, or the database cannot be asked (then
     * nobody should start polling on our side).
     */
    public synchronized boolean holdOrTake() {
        if (held != null) {
            long now = System.nanoTime();
            if (now - checkedAt < RECHECK.toNanos()) {
                return true;
            }
            if (alive(held)) {
                checkedAt = now;
                return true;
            }
            LOG.warn(
                    "Lost the Telegram polling lease (its database session ended); polling stops until it is taken again");
            drop();
        }
        SqlConnection connection;
        try {
            connection = pool.getConnection().await().atMost(DATABASE_WAIT);
        } catch (RuntimeException e) {
            LOG.debugf("Polling lease: no database connection (%s); standing by", e.getMessage());
            return false;
        }
        try {
            Row row = connection
                    .preparedQuery("SELECT pg_try_advisory_lock($1, $2) AS taken")
                    .execute(Tuple.of(LOCK_SPACE, (int) (botId ^ (botId >>> 32))))
                    .await()
                    .atMost(DATABASE_WAIT)
                    .iterator()
                    .next();
            if (Boolean.TRUE.equals(row.getBoolean("taken"))) {
                held = connection;
                checkedAt = System.nanoTime();
                LOG.infof("This gateway polls Telegram for bot %d (it holds the polling lease)", botId);
                return true;
            }
        } catch (RuntimeException e) {
            LOG.debugf("Polling lease: could not ask the database (%s); standing by", e.getMessage());
        }
        connection.closeAndForget();
        return false;
    }

    /** Gives the lease up (a stopping instance), so a standby takes over at once rather than at its next check. */
    public synchronized void release() {
        if (held == null) {
            return;
        }
        try {
            held.query("SELECT pg_advisory_unlock_all()").execute().await().atMost(DATABASE_WAIT);
        } catch (RuntimeException e) {
            // closing the session below frees the lock as well
        }
        drop();
        LOG.info("Gave up the Telegram polling lease");
    }

    public boolean held() {
        return held != null;
    }

    private void drop() {
        SqlConnection connection = held;
        held = null;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    private static boolean alive(SqlConnection connection) {
        try {
            connection.query("SELECT 1").execute().await().atMost(DATABASE_WAIT);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
