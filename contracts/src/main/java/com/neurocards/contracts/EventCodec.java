package com.neurocards.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.neurocards.contracts.event.Event;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The one JSON codec for envelopes. Readable in the RabbitMQ console (ISO dates, no type tags), tolerant of fields it
 * does not know (a newer producer may add some), strict about what it cannot read (type and version).
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {}

    /** The mapper the codec uses, for code that must read or write the same JSON (journal queries, tools). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Envelope<?> envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + envelope.type() + " " + envelope.id(), e);
        }
    }

    public static String encodeToString(Envelope<?> envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + envelope.type() + " " + envelope.id(), e);
        }
    }

    /**
     * Reads an envelope whatever its type.
     *
     * @throws UnknownEventTypeException for a type or version this build cannot read
     * @throws MalformedEventException   for anything that is not an envelope
     */
    public static Envelope<Event> decode(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedEventException("Body is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("Body is not a JSON object");
        }
        String typeName = text(root, "type");
        EventType type = EventType.fromTypeName(typeName);
        int version = root.path("version").asInt(0);
        if (version < 1 || version > type.version()) {
            throw new UnknownEventTypeException(typeName, version);
        }
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new MalformedEventException("Envelope of type '" + typeName + "' has no payload object");
        }
        try {
            Event payload = MAPPER.treeToValue(payloadNode, type.payloadType());
            UUID causation = root.hasNonNull("causationId")
                    ? UUID.fromString(root.get("causationId").asText())
                    : null;
            return new Envelope<>(
                    UUID.fromString(text(root, "id")),
                    typeName,
                    version,
                    Instant.parse(text(root, "occurredAt")),
                    root.hasNonNull("correlationId") ? root.get("correlationId").asText() : null,
                    causation,
                    payload);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedEventException malformed) {
                throw malformed;
            }
            throw new MalformedEventException("Cannot read envelope of type '" + typeName + "': " + e.getMessage(), e);
        }
    }

    /** Reads an envelope that must carry a payload of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <P extends Event> Envelope<P> decode(byte[] body, Class<P> type) {
        Envelope<Event> envelope = decode(body);
        if (!type.isInstance(envelope.payload())) {
            throw new MalformedEventException(
                    "Expected " + type.getSimpleName() + " but got '" + envelope.type() + "'");
        }
        return (Envelope<P>) (Envelope<?>) envelope;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || !node.isTextual()) {
            throw new MalformedEventException("Envelope has no '" + field + "'");
        }
        return node.asText();
    }
}
