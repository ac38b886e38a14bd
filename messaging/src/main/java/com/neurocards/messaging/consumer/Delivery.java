package com.neurocards.messaging.consumer;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Event;
import java.util.Map;

/**
 * One message as a stage sees it.
 *
 * @param attempt     1 on the first try; each retry through a delay tier adds one
 * @param redelivered the broker delivered it before without an ack (a consumer crashed or lost its channel)
 * @param publisher   the broker user that published it, as the broker vouches
 *                    ({@link com.neurocards.messaging.broker.Provenance}); {@code null}
 *                    when nobody does
 */
public record Delivery(
        QueueName queue,
        Envelope<Event> envelope,
        String routingKey,
        int attempt,
        boolean redelivered,
        Map<String, Object> headers,
        String publisher) {

    public Delivery {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A delivery nobody vouches for the publisher of (tests of stages that do not ask). */
    public Delivery(
            QueueName queue,
            Envelope<Event> envelope,
            String routingKey,
            int attempt,
            boolean redelivered,
            Map<String, Object> headers) {
        this(queue, envelope, routingKey, attempt, redelivered, headers, null);
    }

    public <P extends Event> P payload(Class<P> type) {
        return type.cast(envelope.payload());
    }

    /** The envelope, typed by its payload. */
    @SuppressWarnings("unchecked")
    public <P extends Event> Envelope<P> envelope(Class<P> type) {
        type.cast(envelope.payload());
        return (Envelope<P>) (Envelope<?>) envelope;
    }

    /** The message id this one replays, when an operator replayed it. */
    public String replayOf() {
        Object value = headers.get(Headers.REPLAY_OF);
        return value == null ? null : value.toString();
    }
}
