package com.neurocards.pipeline.notify;

import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.telegram.SendThrottles;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The notices the notify stage sent (one message per refund, rejection or top-up), by the event that asked for them.
 * The notify stage calls Telegram inside the event's transaction; when that transaction then fails (its database
 * connection dropped) or the process dies before it commits, the event is handled again, and without this record its
 * notice would be sent twice. The record is written the moment Telegram answers, in one statement of its own on the
 * sends' pool ({@link SendThrottles#DATASOURCE}), so the window in which a crash still repeats a notice is that one
 * round trip. Rows go when the processed-message rows of the same age go.
 */
@ApplicationScoped
public class NoticesTold {

    private static final Logger LOG = Logger.getLogger(NoticesTold.class);

    private final Pool sends;
    private final MessagingConfig config;

    public NoticesTold(@ReactiveDataSource(SendThrottles.DATASOURCE) Pool sends, MessagingConfig config) {
        this.sends = sends;
        this.config = config;
    }

    /** Whether the notice of event {@code eventId} was sent already. */
    public Uni<Boolean> told(SqlClient tx, UUID eventId) {
        return tx.preparedQuery("SELECT 1 FROM pipeline.notice_told WHERE event_id = $1")
                .execute(Tuple.of(eventId))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Records that the notice of event {@code eventId} reached the chat as {@code messageId}. A failure is logged, not
     * passed on: the notice was sent, and the event's own transaction decides what happens next.
     */
    public Uni<Void> record(UUID eventId, long messageId) {
        return sends.preparedQuery("INSERT INTO pipeline.notice_told (event_id, telegram_message_id) VALUES ($1, $2) "
                        + "ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.of(eventId, messageId))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf(
                            "The notice of event %s reached the chat but the database did not take it (%s); a retry of"
                                    + " the event may send it again",
                            eventId, Redaction.describe(failure));
                    return Uni.createFrom().voidItem();
                });
    }

    @Scheduled(
            identity = "notices-told-tidy",
            every = "1h",
            delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOld() {
        return sends.preparedQuery("DELETE FROM pipeline.notice_told WHERE told_at < $1")
                .execute(Tuple.of(OffsetDateTime.now().minus(config.relay().processedRetention())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("Could not forget old told notices: %s", Redaction.describe(failure));
                    return Uni.createFrom().voidItem();
                });
    }
}
