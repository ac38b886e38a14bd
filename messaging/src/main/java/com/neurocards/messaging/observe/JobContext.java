package com.neurocards.messaging.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * What a line logged during a job's work must name — request id, job id, trace and span id (logging context, MDC) —
 * and the OpenTelemetry context that outgoing messages take their {@code traceparent} from. Captured where work is
 * assembled and re-applied wherever it continues (another thread, an event-loop callback, a retry): see
 * {@link JobContextDecorator}.
 */
public final class JobContext {

    public static final String REQUEST_ID = "requestId";
    public static final String JOB_ID = "jobId";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";
    static final List<String> KEYS = List.of(REQUEST_ID, JOB_ID, TRACE_ID, SPAN_ID);

    private final Object[] values;
    private final Context otel;

    private JobContext(Object[] values, Context otel) {
        this.values = values;
        this.otel = otel;
    }

    /** The current context, or {@code null} when this thread is doing no job's work (the common, cheap case). */
    public static JobContext current() {
        Object[] values = new Object[KEYS.size()];
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            values[i] = MDC.get(KEYS.get(i));
            any |= values[i] != null;
        }
        Context otel = Context.current();
        if (!any && !Span.fromContext(otel).getSpanContext().isValid()) {
            return null;
        }
        return new JobContext(values, otel);
    }

    /**
     * Makes {@code span} current with request and job ids, until the returned scope is closed (which puts back what
     * was there before).
     */
    public static Restorer open(Context otel, Object requestId, Object jobId) {
        SpanContext span = Span.fromContext(otel).getSpanContext();
        Object[] values = {
            requestId, jobId, span.isValid() ? span.getTraceId() : null, span.isValid() ? span.getSpanId() : null
        };
        return new JobContext(values, otel).apply();
    }

    /** The OpenTelemetry context (the span outgoing messages continue). */
    public Context otel() {
        return otel;
    }

    /** Applies this context to the current thread; closing the result restores the previous one. */
    public Restorer apply() {
        // On a Vert.x event loop's root context (where the database client calls back) Quarkus keeps MDC and the
        // OpenTelemetry context nowhere: give the callback a duplicated context of its own while it runs, so what we
        // put there is kept (and inherited by the database calls it makes).
        ContextInternal dispatched = null;
        ContextInternal previousDispatch = null;
        if (Vertx.currentContext() instanceof ContextInternal vertx && !vertx.isDuplicate()) {
            dispatched = vertx.duplicate();
            previousDispatch = dispatched.beginDispatch();
        }
        Object[] previous = new Object[KEYS.size()];
        for (int i = 0; i < previous.length; i++) {
            previous[i] = MDC.get(KEYS.get(i));
            putOrRemove(KEYS.get(i), values[i]);
        }
        Scope scope = otel.makeCurrent();
        ContextInternal ownDispatch = dispatched;
        ContextInternal resumeDispatch = previousDispatch;
        return () -> {
            scope.close();
            for (int i = 0; i < previous.length; i++) {
                putOrRemove(KEYS.get(i), previous[i]);
            }
            if (ownDispatch != null) {
                ownDispatch.endDispatch(resumeDispatch);
            }
        };
    }

    /** Undoes an {@link #apply()}. */
    @FunctionalInterface
    public interface Restorer extends AutoCloseable {
        @Override
        void close();
    }

    private static void putOrRemove(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
