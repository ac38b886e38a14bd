package com.neurocards.messaging.consumer;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.outbox.Outbox;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages a failure sends on: the received message again through a delay tier, or to its queue's DLQ with the
 * cause. Headers the message arrived with travel along (trace context, request and job ids, the round counters).
 */
final class Redelivery {

    private Redelivery() {}

    /** The received message as it can be sent on: the body and headers it came with, minus what the broker added. */
    static OutgoingMessage received(
            String routingKey, String messageId, String type, Map<String, Object> headers, byte[] body) {
        return new OutgoingMessage(
                Topology.EXCHANGE,
                routingKey,
                messageId == null ? "unknown" : messageId,
                type == null ? "unknown" : type,
                withoutBrokerHeaders(headers),
                body);
    }

    /**
     * {@code original} back to {@code queue} after {@code tier}, as {@code attempt}: back to this queue only (it is
     * bound by its own name), not to every consumer of the event type.
     */
    static OutgoingMessage throughDelayTier(OutgoingMessage original, QueueName queue, int attempt, DelayTier tier) {
        Map<String, Object> headers = new LinkedHashMap<>(original.headers());
        headers.put(Headers.ATTEMPT, attempt);
        headers.putIfAbsent(Headers.ORIGINAL_ROUTING_KEY, original.routingKey());
        return Outbox.delayed(original.to(Topology.EXCHANGE, queue.queueName()).withHeaders(headers), tier);
    }

    /** {@code original} to {@code queue}'s DLQ, with the cause in headers. */
    static OutgoingMessage deadLetter(
            OutgoingMessage original,
            QueueName queue,
            int attempt,
            ErrorClass errorClass,
            String cause,
            Instant failedAt) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Headers.ATTEMPT, attempt);
        headers.put(Headers.ERROR_CLASS, errorClass.name());
        headers.put(Headers.CAUSE, cause);
        headers.put(Headers.STAGE, queue.stage().name());
        headers.put(Headers.ORIGINAL_QUEUE, queue.queueName());
        headers.put(
                Headers.ORIGINAL_ROUTING_KEY,
                original.headers().getOrDefault(Headers.ORIGINAL_ROUTING_KEY, original.routingKey()));
        headers.put(Headers.FAILED_AT, failedAt.toString());
        return original.to(Topology.DEAD_LETTER_EXCHANGE, queue.queueName()).withHeaders(headers);
    }

    /** Headers the broker adds on dead-lettering; copying them onto a republished message would only pile them up. */
    static Map<String, Object> withoutBrokerHeaders(Map<String, Object> headers) {
        Map<String, Object> copy = new LinkedHashMap<>(headers);
        copy.keySet()
                .removeIf(key -> key.equals("x-death")
                        || key.startsWith("x-first-death")
                        || key.startsWith("x-last-death")
                        || key.equals(Headers.DELAY_TIER));
        return copy;
    }
}
