package com.neurocards.messaging.broker;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.observe.TraceHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One message as it goes onto the wire: where to, the AMQP properties we always set, and the body. */
public record OutgoingMessage(
        String exchange, String routingKey, String messageId, String type, Map<String, Object> headers, byte[] body) {

    public OutgoingMessage {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(messageId, "messageId");
        headers = Map.copyOf(headers);
    }

    /** An event published by type on the main exchange. */
    public static OutgoingMessage event(Envelope<?> envelope) {
        return new OutgoingMessage(
                Topology.EXCHANGE,
                envelope.eventType().routingKey(),
                envelope.id().toString(),
                envelope.type(),
                standardHeaders(envelope),
                EventCodec.encode(envelope));
    }

    /** The headers every event carries so operators can filter and read it in the console. */
    public static Map<String, Object> standardHeaders(Envelope<?> envelope) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (envelope.correlationId() != null) {
            headers.put(Headers.REQUEST_ID, envelope.correlationId());
        }
        if (envelope.jobId() != null) {
            headers.put(Headers.JOB_ID, envelope.jobId());
        }
        // the trace of the work that produced the event: the consumer of it continues that trace
        TraceHeaders.inject(headers);
        return headers;
    }

    public OutgoingMessage withHeaders(Map<String, Object> extra) {
        Map<String, Object> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new OutgoingMessage(exchange, routingKey, messageId, type, merged, body);
    }

    public OutgoingMessage to(String newExchange, String newRoutingKey) {
        return new OutgoingMessage(newExchange, newRoutingKey, messageId, type, headers, body);
    }
}
