package com.neurocards.messaging;

import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.observe.JobContext;
import com.neurocards.messaging.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Runs work in one database transaction and, once it commits having written to the outbox, wakes the outbox relay so
 * the events leave at once (a transaction that wrote none does not: the relay would only look and find nothing).
 * {@link #processOnce} is the idempotent consumer: the message's effects and its processed-message row commit
 * together, so a redelivered message finds the row and changes nothing.
 */
@ApplicationScoped
public class Transactions {

    /**
     * Open transactions → what is known of each beyond its connection (weak: entries go with their connection; a
     * connection's next transaction replaces its entry).
     */
    private static final Map<SqlConnection, Open> OPEN = Collections.synchronizedMap(new WeakHashMap<>());

    /** An open transaction: the job context it was started in (may be null), and whether it wrote to the outbox. */
    private static final class Open {
        final JobContext context;
        volatile boolean wroteOutbox;

        Open(JobContext context) {
            this.context = context;
        }
    }

    private final Pool pool;
    private final OutboxRelay relay;
    private final String markProcessed;

    public Transactions(Pool pool, OutboxRelay relay, MessagingConfig config) {
        this.pool = pool;
        this.relay = relay;
        this.markProcessed = "INSERT INTO " + config.schema() + ".processed_message (consumer, message_id)"
                + " VALUES ($1, $2) ON CONFLICT DO NOTHING";
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        // The pool calls work back on its event loop, where the job's context (trace, ids) is not current: remember
        // it with the transaction, so the events written in it carry the job's trace (see Outbox).
        Open open = new Open(JobContext.current());
        return pool.withTransaction(tx -> {
                    open.wroteOutbox = false; // a try again (the Uni subscribed anew) starts with nothing written
                    OPEN.put(tx, open);
                    return work.apply(tx);
                })
                .invoke(() -> {
                    if (open.wroteOutbox) {
                        relay.wake();
                    }
                });
    }

    /** Called by the outbox when {@code tx} wrote a message to it: the relay is woken when it commits. */
    public static void wroteOutbox(SqlConnection tx) {
        Open open = OPEN.get(tx);
        if (open != null) {
            open.wroteOutbox = true;
        }
    }

    /** The job context the transaction {@code tx} was started in, if any. */
    public static JobContext contextOf(SqlConnection tx) {
        Open open = OPEN.get(tx);
        return open == null ? null : open.context;
    }

    /**
     * Applies {@code effects} for this delivery unless this queue already processed its message id. Returns whether
     * the effects ran. The processed-message row is claimed first (a concurrent duplicate waits on its key and then
     * sees it), and both commit or neither does.
     */
    public Uni<Boolean> processOnce(Delivery delivery, Function<SqlConnection, Uni<Void>> effects) {
        return inTransaction(tx -> tx.preparedQuery(markProcessed)
                .execute(Tuple.of(
                        delivery.queue().queueName(), delivery.envelope().id()))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : effects.apply(tx).replaceWith(true)));
    }

    public Pool pool() {
        return pool;
    }
}
