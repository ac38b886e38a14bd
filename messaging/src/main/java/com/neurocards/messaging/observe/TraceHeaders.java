package com.neurocards.messaging.observe;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/**
 * W3C trace context in AMQP headers ({@code traceparent} = {@code Headers.TRACEPARENT}, {@code tracestate}): written onto every outgoing message
 * (and so into the outbox row the relay publishes), read by every consumer, so one request is one trace across the
 * services.
 */
public final class TraceHeaders {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, Object>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, Object> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value == null ? null : value.toString();
        }
    };

    private TraceHeaders() {}

    /** Adds the current trace context (if there is one) to {@code headers}. */
    public static void inject(Map<String, Object> headers) {
        inject(Context.current(), headers);
    }

    /** Adds the trace context of {@code context} (if it has one) to {@code headers}. */
    public static void inject(Context context, Map<String, Object> headers) {
        W3C.inject(context, headers, (carrier, key, value) -> carrier.put(key, value));
    }

    /** The trace context a message carries (the root context when it carries none). */
    public static Context extract(Map<String, Object> headers) {
        return W3C.extract(Context.root(), headers, GETTER);
    }

    /** The trace id in a {@code traceparent} header value, or {@code null}. */
    public static String traceId(Object traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.toString().split("-");
        return parts.length == 4 ? parts[1] : null;
    }
}
