package com.neurocards.messaging.outbox;

import com.neurocards.messaging.Backoff;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.OutgoingMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox. One batch at a time, in one database transaction: claim unpublished rows
 * ({@code FOR UPDATE SKIP LOCKED}, so any number of instances can run side by side without sending a row twice at
 * the same moment), publish them with confirms, mark them published, commit.
 *
 * <p>A crash after the broker confirmed but before the commit leaves the rows unpublished, so they are sent again
 * with the same {@code message_id}: delivery is at least once, and consumers de-duplicate by message id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration TIDY_EVERY = Duration.ofMinutes(1);
    /** How often the outbox lag gauge is measured (the age of the oldest unpublished row). */
    private static final Duration MEASURE_LAG_EVERY = Duration.ofSeconds(5);

    private final Pool pool;
    private final ConfirmingPublisher publisher;
    private final MessagingConfig config;
    private final String claim;
    private final String markPublished;
    private final String tidy;
    private final String tidyProcessed;
    private final String oldestUnpublished;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter published;
    private final AtomicLong lagMillis = new AtomicLong();

    private volatile boolean running;
    private boolean listening;
    private Thread thread;
    private Instant lastTidy = Instant.EPOCH;
    private Instant lastLagMeasure = Instant.EPOCH;

    public OutboxRelay(Pool pool, ConfirmingPublisher publisher, MessagingConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.publisher = publisher;
        this.config = config;
        String table = config.schema() + ".outbox_message";
        this.claim = "SELECT id, message_id, exchange, routing_key, message_type, headers, body FROM " + table
                + " WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED";
        this.markPublished = "UPDATE " + table + " SET published_at = now() WHERE id = ANY($1)";
        this.tidy = "DELETE FROM " + table + " WHERE published_at < $1";
        this.tidyProcessed = "DELETE FROM " + config.schema() + ".processed_message WHERE processed_at < $1";
        this.oldestUnpublished = "SELECT min(created_at) AS oldest FROM " + table + " WHERE published_at IS NULL";
        this.published = Counter.builder("neurocards.outbox.published")
                .description("Outbox messages published and confirmed by the broker")
                .register(registry);
        Gauge.builder("neurocards.outbox.lag.seconds", lagMillis, millis -> millis.get() / 1000.0)
                .description("Age of the oldest outbox message not yet published")
                .register(registry);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (!listening) {
            // publishing failed while the broker was away: go on the moment it is back
            publisher.whenReconnected(this::wake);
            listening = true;
        }
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    /** Something was just committed to the outbox in this JVM: publish now rather than at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private void loop() {
        Duration backoff = config.relay().pollInterval();
        while (running) {
            try {
                int count = relayOnce();
                backoff = config.relay().pollInterval();
                if (count >= config.relay().batchSize()) {
                    continue; // more waiting: keep going without a pause
                }
                maybeMeasureLag();
                maybeTidy();
            } catch (RuntimeException | IOException e) {
                LOG.warnf("Outbox relay: %s; retrying in %s", e.toString(), backoff);
                measureLagQuietly();
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
            try {
                wakeUp.tryAcquire(Backoff.jittered(backoff), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Publishes one batch and returns how many messages it published.
     *
     * @throws IOException when the broker did not confirm; nothing is marked, the batch is tried again later
     */
    public int relayOnce() throws IOException {
        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        try {
            Transaction tx = connection.begin().await().atMost(Duration.ofSeconds(30));
            try {
                RowSet<Row> rows = connection
                        .preparedQuery(claim)
                        .execute(Tuple.of(config.relay().batchSize()))
                        .await()
                        .atMost(Duration.ofSeconds(30));
                List<Long> ids = new ArrayList<>();
                List<OutgoingMessage> messages = new ArrayList<>();
                for (Row row : rows) {
                    ids.add(row.getLong("id"));
                    messages.add(toMessage(row));
                }
                if (messages.isEmpty()) {
                    tx.rollback().await().atMost(Duration.ofSeconds(30));
                    lagMillis.set(0);
                    return 0;
                }
                publisher.publish(messages);
                beforeMarkingPublished(messages);
                connection
                        .preparedQuery(markPublished)
                        .execute(Tuple.of(ids.toArray(new Long[0])))
                        .await()
                        .atMost(Duration.ofSeconds(30));
                tx.commit().await().atMost(Duration.ofSeconds(30));
                published.increment(messages.size());
                return messages.size();
            } catch (IOException | RuntimeException e) {
                rollbackQuietly(tx);
                throw e;
            }
        } finally {
            connection.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    /**
     * Called after the broker confirmed a batch and before it is marked published. A crash here is the case the
     * outbox exists for; tests override this to simulate one.
     */
    protected void beforeMarkingPublished(List<OutgoingMessage> messages) {}

    private OutgoingMessage toMessage(Row row) {
        Map<String, Object> headers = row.getJsonObject("headers").getMap();
        return new OutgoingMessage(
                row.getString("exchange"),
                row.getString("routing_key"),
                row.getUUID("message_id").toString(),
                row.getString("message_type"),
                headers,
                row.getString("body").getBytes(StandardCharsets.UTF_8));
    }

    private void maybeTidy() {
        Instant now = Instant.now();
        if (Duration.between(lastTidy, now).compareTo(TIDY_EVERY) < 0) {
            return;
        }
        lastTidy = now;
        OffsetDateTime cutoff = OffsetDateTime.now().minus(config.relay().retention());
        pool.preparedQuery(tidy).execute(Tuple.of(cutoff)).await().atMost(Duration.ofSeconds(30));
        pool.preparedQuery(tidyProcessed)
                .execute(Tuple.of(OffsetDateTime.now().minus(config.relay().processedRetention())))
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    /** Keeps {@code neurocards_outbox_lag_seconds} current even while batches keep the relay busy or failing. */
    private void maybeMeasureLag() {
        Instant now = Instant.now();
        if (Duration.between(lastLagMeasure, now).compareTo(MEASURE_LAG_EVERY) < 0) {
            return;
        }
        lastLagMeasure = now;
        Row row = pool.query(oldestUnpublished)
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next();
        OffsetDateTime oldest = row.getOffsetDateTime("oldest");
        lagMillis.set(
                oldest == null
                        ? 0
                        : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis()));
    }

    /** While the broker is down the database usually is not: the gauge must show the backlog growing. */
    private void measureLagQuietly() {
        try {
            maybeMeasureLag();
        } catch (RuntimeException e) {
            LOG.debugf("Outbox lag not measured: %s", e.toString());
        }
    }

    private static void rollbackQuietly(Transaction tx) {
        try {
            tx.rollback().await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debugf("Rollback after a failed relay batch: %s", e.toString());
        }
    }
}
