package com.neurocards.pipeline.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.messaging.broker.AmqpHeaders;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One crossing of the broker as the journal stores it: which message, where it was going, what it is about, and for
 * retries, replays and dead letters the attempt, the replayed message and the cause.
 *
 * @param crossingKey  message id + a hash of exchange, routing key and headers; equal for a redelivery of the same
 *                     message, different for a retry, a dead letter or a re-drive of it
 * @param envelopeJson the body when it is JSON, else {@code null} (and {@code rawBody} holds it)
 * @param publishedAt  when the message last entered an exchange: its AMQP timestamp, or the newest {@code x-death}
 *                     time when the broker dead-lettered it there (back from a delay tier); {@code null} if unknown
 */
public record JournalEntry(
        String crossingKey,
        String messageId,
        String eventType,
        String exchange,
        String routingKey,
        String requestId,
        String jobId,
        Integer attempt,
        String replayOf,
        String deadLetterStage,
        String errorClass,
        String deadLetterCause,
        String headersJson,
        String envelopeJson,
        String rawBody,
        Instant publishedAt) {

    /** Reads one delivery from the journal queue; never throws on a strange message (the journal keeps it as it is). */
    public static JournalEntry of(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        Map<String, Object> headers = AmqpHeaders.read(properties.getHeaders());
        JsonNode envelope = parse(body);
        String messageId = firstNonBlank(properties.getMessageId(), text(envelope, "id"), "unknown");
        String eventType = firstNonBlank(properties.getType(), text(envelope, "type"), null);
        String requestId =
                firstNonBlank(AmqpHeaders.text(headers, Headers.REQUEST_ID), text(envelope, "correlationId"), null);
        String jobId = firstNonBlank(
                AmqpHeaders.text(headers, Headers.JOB_ID),
                envelope == null ? null : text(envelope.path("payload").path("job"), "jobId"),
                envelope == null ? null : text(envelope.path("payload"), "jobId"));
        Integer attempt =
                headers.containsKey(Headers.ATTEMPT) ? AmqpHeaders.intValue(headers, Headers.ATTEMPT, 1) : null;
        String cause = AmqpHeaders.text(headers, Headers.CAUSE);
        if (cause == null
                && headers.get("x-death") instanceof List<?> deaths
                && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> death
                && "delivery_limit".equals(String.valueOf(death.get("reason")))) {
            cause = "dead-lettered by the broker: delivered " + death.get("count") + " time(s) from "
                    + death.get("queue") + " without an ack (delivery limit)";
        }
        String headersJson = json(new TreeMap<>(headers));
        return new JournalEntry(
                messageId + ":" + fingerprint(exchange, routingKey, headersJson),
                messageId,
                eventType,
                exchange,
                routingKey,
                requestId,
                jobId,
                attempt,
                AmqpHeaders.text(headers, Headers.REPLAY_OF),
                AmqpHeaders.text(headers, Headers.STAGE),
                AmqpHeaders.text(headers, Headers.ERROR_CLASS),
                cause,
                headersJson,
                envelope == null ? null : json(envelope),
                envelope == null
                        ? new String(body, StandardCharsets.UTF_8).replace("\u0000", "")
                        : null, // PostgreSQL text holds no NUL
                publishedAt(properties, headers));
    }

    private static Instant publishedAt(AMQP.BasicProperties properties, Map<String, Object> headers) {
        Instant latest = properties.getTimestamp() == null
                ? null
                : properties.getTimestamp().toInstant();
        if (headers.get("x-death") instanceof List<?> deaths) {
            for (Object entry : deaths) {
                if (entry instanceof Map<?, ?> death && death.get("time") != null) {
                    try {
                        Instant time = Instant.parse(death.get("time").toString());
                        latest = latest == null || time.isAfter(latest) ? time : latest;
                    } catch (RuntimeException e) {
                        // not a time: ignore it
                    }
                }
            }
        }
        return latest;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = EventCodec.mapper().readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String firstNonBlank(String a, String b, String c) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return c;
    }

    private static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write journal JSON", e);
        }
    }

    private static String fingerprint(String exchange, String routingKey, String headersJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((exchange + "\n" + routingKey + "\n" + headersJson).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
