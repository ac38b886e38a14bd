package com.neurocards.messaging.consumer;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.observe.TraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What one stage's consumer reports: a span per message, and {@code neurocards_stage_duration_seconds},
 * {@code neurocards_stage_messages_total} (by outcome), {@code neurocards_stage_failures_total} (by error class) and
 * {@code neurocards_stage_resubscriptions_total} (the broker took the consumer away and it came back), each tagged
 * with the queue and the stage.
 */
final class StageTelemetry {

    private static final Logger LOG = Logger.getLogger(StageTelemetry.class);

    private final QueueName queue;
    private final String stageTag;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final Timer timer;

    StageTelemetry(QueueName queue, MeterRegistry registry, Tracer tracer) {
        this.queue = queue;
        this.stageTag = queue.stage().name().toLowerCase(Locale.ROOT);
        this.registry = registry;
        this.tracer = tracer;
        this.timer = Timer.builder("neurocards.stage.duration")
                .tag("queue", queue.queueName())
                .tag("stage", stageTag)
                .description("Time a stage takes to handle one message")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The span of one message's work: a child of the work that published it (W3C traceparent in the headers). */
    Span startSpan(Map<String, Object> headers, String messageId) {
        return tracer.spanBuilder(queue.queueName() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceHeaders.extract(headers))
                .setAttribute("messaging.system", "rabbitmq")
                .setAttribute("messaging.destination.name", queue.queueName())
                .setAttribute("messaging.message.id", messageId)
                .setAttribute("messaging.operation", "process")
                .startSpan();
    }

    /** The stage failed with a failure of {@code errorClass} (pacing is not counted: see {@link FailureDecision#isFailure}). */
    void failed(ErrorClass errorClass) {
        registry.counter(
                        "neurocards.stage.failures",
                        "queue",
                        queue.queueName(),
                        "stage",
                        stageTag,
                        "error_class",
                        errorClass.name())
                .increment();
    }

    /** The message was settled (acked) with {@code outcome}; its work started at {@code startedNanos}. */
    void settled(Span span, String outcome, long startedNanos) {
        count(outcome);
        long took = System.nanoTime() - startedNanos;
        timer.record(Duration.ofNanos(took));
        LOG.debugf("Message on %s: %s in %d ms", queue, outcome, took / 1_000_000);
        span.setAttribute("neurocards.outcome", outcome);
        if ("dead_lettered".equals(outcome)) {
            span.setStatus(StatusCode.ERROR, "dead-lettered");
        }
        span.end();
    }

    /** The message could not be settled and went back to the queue. */
    void requeued(Span span) {
        count("requeued");
        span.setStatus(StatusCode.ERROR, "requeued");
        span.end();
    }

    /** The stage consumes again after the broker took its consumer away. */
    void resubscribed() {
        registry.counter("neurocards.stage.resubscriptions", "queue", queue.queueName(), "stage", stageTag)
                .increment();
    }

    private void count(String outcome) {
        registry.counter("neurocards.stage.messages", "queue", queue.queueName(), "stage", stageTag, "outcome", outcome)
                .increment();
    }
}
