package com.neurocards.contracts;

import com.neurocards.contracts.event.Event;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What every message body is: the event plus the metadata that lets anyone follow it through the system.
 *
 * @param id            unique per message; also the AMQP {@code message_id}, the key consumers de-duplicate on
 * @param type          the event type name, also the routing key ({@link EventType#typeName()})
 * @param version       the payload's schema version; a breaking change is a new version
 * @param occurredAt    when the event happened
 * @param correlationId the request it belongs to (for payments and grants, the key that groups them)
 * @param causationId   the id of the event that caused this one, or {@code null} for an event born from outside input
 * @param payload       the event itself
 */
public record Envelope<P extends Event>(
        UUID id, String type, int version, Instant occurredAt, String correlationId, UUID causationId, P payload) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** A new event that starts a chain (a Telegram update, a payment, an operator's command). */
    public static <P extends Event> Envelope<P> of(P payload) {
        EventType eventType = EventType.of(payload);
        return new Envelope<>(
                UUID.randomUUID(),
                eventType.typeName(),
                eventType.version(),
                Instant.now(),
                payload.correlationId(),
                null,
                payload);
    }

    /** A new event caused by {@code cause}: same correlation, causation points at it. */
    public static <P extends Event> Envelope<P> causedBy(Envelope<?> cause, P payload) {
        EventType eventType = EventType.of(payload);
        String correlation = payload.correlationId() != null ? payload.correlationId() : cause.correlationId();
        return new Envelope<>(
                UUID.randomUUID(),
                eventType.typeName(),
                eventType.version(),
                Instant.now(),
                correlation,
                cause.id(),
                payload);
    }

    public EventType eventType() {
        return EventType.fromTypeName(type);
    }

    /** The job this event is about, or {@code null} when it is about a whole request or a user. */
    public String jobId() {
        return payload.jobId();
    }
}
