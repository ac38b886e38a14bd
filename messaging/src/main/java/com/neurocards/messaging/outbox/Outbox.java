package com.neurocards.messaging.outbox;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.observe.JobContext;
import com.neurocards.messaging.observe.TraceHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes outgoing messages into the outbox table on the caller's transaction, so they leave the service if and only
 * if the state change they announce commits. The {@link OutboxRelay} publishes them.
 */
@ApplicationScoped
public class Outbox {

    private final String insert;

    public Outbox(MessagingConfig config) {
        this.insert = "INSERT INTO " + config.schema() + ".outbox_message"
                + " (message_id, exchange, routing_key, message_type, headers, body) VALUES ($1, $2, $3, $4, $5, $6)";
    }

    /** Publishes {@code event} by its type, to every queue bound to it. */
    public Uni<Void> publish(SqlConnection tx, Envelope<?> event) {
        return write(tx, OutgoingMessage.event(event));
    }

    /** Publishes {@code event} by its type after the tier's delay (the poll stage's "look again later"). */
    public Uni<Void> publishAfter(SqlConnection tx, Envelope<?> event, DelayTier tier) {
        return write(tx, delayed(OutgoingMessage.event(event), tier));
    }

    /** Sends {@code event} to one queue only (a re-drive or a replay aimed at one stage). */
    public Uni<Void> sendTo(SqlConnection tx, Envelope<?> event, QueueName queue, Map<String, Object> extraHeaders) {
        return write(
                tx,
                OutgoingMessage.event(event)
                        .to(Topology.EXCHANGE, queue.queueName())
                        .withHeaders(extraHeaders));
    }

    public Uni<Void> write(SqlConnection tx, OutgoingMessage message) {
        if (!message.headers().containsKey(Headers.TRACEPARENT)) {
            // written on the database client's event loop, where the job's trace is not current: take it from the
            // transaction (Transactions remembers the context each one was started in)
            JobContext context = Transactions.contextOf(tx);
            if (context != null) {
                Map<String, Object> trace = new LinkedHashMap<>();
                TraceHeaders.inject(context.otel(), trace);
                message = message.withHeaders(trace);
            }
        }
        return tx.preparedQuery(insert)
                .execute(Tuple.of(
                        UUID.fromString(message.messageId()),
                        message.exchange(),
                        message.routingKey(),
                        message.type(),
                        new JsonObject(message.headers()),
                        new String(message.body(), StandardCharsets.UTF_8)))
                .invoke(() -> Transactions.wroteOutbox(tx))
                .replaceWithVoid();
    }

    /** The same message routed through a delay tier; it comes back with its routing key after the tier's TTL. */
    public static OutgoingMessage delayed(OutgoingMessage message, DelayTier tier) {
        return message.to(Topology.DELAY_EXCHANGE, message.routingKey())
                .withHeaders(Map.of(Headers.DELAY_TIER, tier.label()));
    }
}
