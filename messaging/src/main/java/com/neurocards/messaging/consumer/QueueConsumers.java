package com.neurocards.messaging.consumer;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.MalformedEventException;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.Event;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.broker.AmqpHeaders;
import com.neurocards.messaging.broker.BrokerConnection;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.outbox.Outbox;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.neurocards.messaging.observe.JobContext;
import com.neurocards.messaging.observe.TraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every {@link StageConsumer} of the service on its queue, with the delivery rules of
 * docs/architecture.md#how-a-stage-handles-a-message: ack only after the stage's effects are committed; retry
 * retryable failures through the delay tiers with the attempt count in a header, bounded; dead-letter everything
 * else with the cause in headers; never loop.
 */
@ApplicationScoped
public class QueueConsumers {

    private static final Logger LOG = Logger.getLogger(QueueConsumers.class);
    /** Logging-context keys: every line logged while a message is handled carries them. */
    public static final String LOG_REQUEST_ID = JobContext.REQUEST_ID;
    public static final String LOG_JOB_ID = JobContext.JOB_ID;
    /** Our own infrastructure trouble (database restarting) is retried after this wait, without using an attempt. */
    static final DelayTier INFRASTRUCTURE_RETRY = DelayTier.SECONDS_5;

    private final BrokerConnection broker;
    private final ConfirmingPublisher publisher;
    private final MessagingConfig config;
    private final Instance<StageConsumer> stages;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Running> running = new ArrayList<>();

    public QueueConsumers(BrokerConnection broker, ConfirmingPublisher publisher, MessagingConfig config,
                          @Any Instance<StageConsumer> stages, MeterRegistry registry, Tracer tracer) {
        this.broker = broker;
        this.publisher = publisher;
        this.config = config;
        this.stages = stages;
        this.registry = registry;
        this.tracer = tracer;
    }

    private record Running(StageConsumer stage, Channel channel, String consumerTag) {
    }

    public synchronized void start() {
        for (StageConsumer stage : stages) {
            QueueName queue = stage.queue();
            if (config.consumers().only().isPresent() && !config.consumers().only().get().contains(queue.queueName())) {
                continue;
            }
            try {
                Channel channel = broker.openChannel();
                channel.basicQos(config.consumers().prefetch());
                String tag = channel.basicConsume(queue.queueName(), false,
                        config.serviceName() + "/" + queue.queueName() + "/" + Long.toHexString(System.nanoTime()),
                        new StageDeliveries(stage, channel));
                running.add(new Running(stage, channel, tag));
                LOG.infof("Consuming %s", queue);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot consume " + queue + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stops taking new messages, lets the ones in flight finish (up to {@code grace}), then closes the channels. */
    public synchronized void stop(Duration grace) {
        for (Running consumer : running) {
            try {
                consumer.channel().basicCancel(consumer.consumerTag());
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Cancelling %s: %s", consumer.stage().queue(), e.toString());
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Running consumer : running) {
            try {
                consumer.channel().close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("Closing %s: %s", consumer.stage().queue(), e.toString());
            }
        }
        running.clear();
    }

    /** The queues this instance consumes. */
    public synchronized List<QueueName> consumedQueues() {
        return running.stream().map(r -> r.stage().queue()).toList();
    }

    private final class StageDeliveries extends DefaultConsumer {
        private final StageConsumer stage;
        private final QueueName queue;
        private final int maxAttempts;
        private final Timer timer;

        StageDeliveries(StageConsumer stage, Channel channel) {
            super(channel);
            this.stage = stage;
            this.queue = stage.queue();
            this.maxAttempts = stage.maxAttempts() > 0 ? stage.maxAttempts() : config.consumers().maxAttempts();
            this.timer = Timer.builder("neurocards.stage.duration").tag("queue", queue.queueName()).tag("stage", stageTag())
                    .description("Time a stage takes to handle one message").publishPercentileHistogram()
                    .register(registry);
        }

        @Override
        public void handleDelivery(String consumerTag, com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties properties,
                                   byte[] body) {
            inFlight.incrementAndGet();
            try {
                dispatch(amqp, properties, body);
            } catch (RuntimeException | Error e) {
                // Never let an exception reach the client library: it would close the channel and stop the stage.
                LOG.errorf(e, "Could not dispatch a message on %s; rejecting it to the DLQ", queue);
                reject(amqp.getDeliveryTag());
                inFlight.decrementAndGet();
            }
        }

        private void dispatch(com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties properties, byte[] body) {
            long started = System.nanoTime();
            long tag = amqp.getDeliveryTag();
            Map<String, Object> headers = AmqpHeaders.read(properties.getHeaders());
            int attempt = AmqpHeaders.intValue(headers, Headers.ATTEMPT, 1);
            OutgoingMessage original = new OutgoingMessage(Topology.EXCHANGE, amqp.getRoutingKey(),
                    properties.getMessageId() == null ? "unknown" : properties.getMessageId(),
                    properties.getType() == null ? "unknown" : properties.getType(), withoutBrokerHeaders(headers), body);

            // The message's work is a child span of the work that published it (W3C traceparent in the headers).
            Span span = tracer.spanBuilder(queue.queueName() + " process").setSpanKind(SpanKind.CONSUMER)
                    .setParent(TraceHeaders.extract(headers))
                    .setAttribute("messaging.system", "rabbitmq")
                    .setAttribute("messaging.destination.name", queue.queueName())
                    .setAttribute("messaging.message.id", original.messageId())
                    .setAttribute("messaging.operation", "process")
                    .startSpan();
            Context traced = Context.current().with(span);
            Envelope<Event> envelope;
            try {
                envelope = EventCodec.decode(body);
            } catch (MalformedEventException e) {
                try (JobContext.Restorer ignored = JobContext.open(traced, headers.get(Headers.REQUEST_ID), headers.get(Headers.JOB_ID))) {
                    LOG.errorf("Poison message %s on %s: %s", original.messageId(), queue, e.getMessage());
                    finish(Uni.createFrom().item("dead_lettered")
                            .emitOn(Infrastructure.getDefaultWorkerPool())
                            .invoke(() -> deadLetter(original, attempt, ErrorClass.UNKNOWN, Redaction.describe(e))),
                            tag, started, span);
                }
                return;
            }
            span.setAttribute("messaging.message.type", envelope.type());
            Delivery delivery = new Delivery(queue, envelope, amqp.getRoutingKey(), attempt, amqp.isRedeliver(), headers);
            // Everything assembled from here on — the stage's Uni, the failure path, the settling — carries the request
            // and job ids and the span, on whatever thread it continues (JobContextDecorator).
            try (JobContext.Restorer ignored = JobContext.open(traced, envelope.correlationId(), envelope.jobId())) {
                Uni<String> outcome = Uni.createFrom().deferred(() -> stage.handle(delivery))
                        .replaceWith("processed")
                        .onFailure().recoverWithUni(failure -> onFailure(delivery, original, failure));
                finish(outcome, tag, started, span);
            }
        }

        private Uni<String> onFailure(Delivery delivery, OutgoingMessage original, Throwable failure) {
            ErrorClass failureClass = failure instanceof StageException s ? s.errorClass() : ErrorClass.UNKNOWN;
            int pacingRound = AmqpHeaders.intValue(delivery.headers(), Headers.PACING_ROUND, 0) + 1;
            boolean paced = failure instanceof StageException s && s.pacing()
                    && pacingRound <= config.consumers().maxPacingRounds();
            if (!paced) {
                registry.counter("neurocards.stage.failures", "queue", queue.queueName(), "stage", stageTag(),
                        "error_class", failureClass.name()).increment();
            }
            return Uni.createFrom().voidItem().emitOn(Infrastructure.getDefaultWorkerPool()).flatMap(ignored -> {
                if (paced) {
                    DelayTier tier = DelayTier.atLeast(((StageException) failure).retryAfter().orElse(Duration.ZERO));
                    LOG.debugf("%s on %s waits %s (%s); attempt %d kept", delivery.envelope().type(), queue,
                            tier.label(), Redaction.describe(failure), delivery.attempt());
                    republishForRetry(original.withHeaders(Map.of(Headers.PACING_ROUND, pacingRound)),
                            delivery.attempt(), tier);
                    return Uni.createFrom().item("paced");
                }
                int infrastructureAttempt = AmqpHeaders.intValue(delivery.headers(), Headers.INFRASTRUCTURE_ATTEMPT, 0) + 1;
                if (TransientFailures.isInfrastructure(failure)
                        && infrastructureAttempt <= config.consumers().maxInfrastructureAttempts()) {
                    LOG.warnf("%s on %s hit infrastructure trouble (%s); trying again in %s without using an attempt",
                            delivery.envelope().type(), queue, Redaction.describe(failure), INFRASTRUCTURE_RETRY.label());
                    republishForRetry(original.withHeaders(Map.of(Headers.INFRASTRUCTURE_ATTEMPT, infrastructureAttempt)),
                            delivery.attempt(), INFRASTRUCTURE_RETRY);
                    return Uni.createFrom().item("infrastructure_retry");
                }
                if (failure instanceof StageException stageFailure && stageFailure.retryable()
                        && delivery.attempt() < maxAttempts) {
                    int next = delivery.attempt() + 1;
                    DelayTier tier = DelayTier.forRetry(delivery.attempt());
                    if (stageFailure.retryAfter().isPresent()) {
                        DelayTier asked = DelayTier.atLeast(stageFailure.retryAfter().get());
                        tier = asked.compareTo(tier) > 0 ? asked : tier;
                    }
                    LOG.infof("%s on %s failed (%s), attempt %d of %d; retrying in %s", delivery.envelope().type(),
                            queue, Redaction.describe(failure), delivery.attempt(), maxAttempts, tier.label());
                    republishForRetry(original, next, tier);
                    return stage.onRetry(delivery, stageFailure, next)
                            .onFailure().invoke(e -> LOG.warnf("onRetry of %s failed: %s", queue, Redaction.describe(e)))
                            .onFailure().recoverWithNull()
                            .replaceWith("retried");
                }
                if (failure instanceof StageException) {
                    LOG.warnf("%s on %s gave up after %d attempt(s): %s", delivery.envelope().type(), queue,
                            delivery.attempt(), Redaction.describe(failure));
                } else {
                    LOG.errorf(failure, "%s on %s failed unexpectedly; dead-lettering it", delivery.envelope().type(), queue);
                }
                return stage.onGiveUp(delivery, failure)
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .invoke(() -> deadLetter(original, delivery.attempt(), failureClass, Redaction.describe(failure)))
                        .replaceWith("dead_lettered");
            });
        }

        private void republishForRetry(OutgoingMessage original, int attempt, DelayTier tier) {
            Map<String, Object> headers = new LinkedHashMap<>(original.headers());
            headers.put(Headers.ATTEMPT, attempt);
            headers.putIfAbsent(Headers.ORIGINAL_ROUTING_KEY, original.routingKey());
            // Back to this queue only (it is bound by its own name), not to every consumer of the event type.
            publishOrThrow(Outbox.delayed(original.to(Topology.EXCHANGE, queue.queueName()).withHeaders(headers), tier));
        }

        private void deadLetter(OutgoingMessage original, int attempt, ErrorClass errorClass, String cause) {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(Headers.ATTEMPT, attempt);
            headers.put(Headers.ERROR_CLASS, errorClass.name());
            headers.put(Headers.CAUSE, cause);
            headers.put(Headers.STAGE, queue.stage().name());
            headers.put(Headers.ORIGINAL_QUEUE, queue.queueName());
            headers.put(Headers.ORIGINAL_ROUTING_KEY, original.headers().getOrDefault(Headers.ORIGINAL_ROUTING_KEY, original.routingKey()));
            headers.put(Headers.FAILED_AT, Instant.now().toString());
            publishOrThrow(original.to(Topology.DEAD_LETTER_EXCHANGE, queue.queueName()).withHeaders(headers));
        }

        private void publishOrThrow(OutgoingMessage message) {
            try {
                publisher.publish(message);
            } catch (IOException e) {
                throw new IllegalStateException("Could not publish to " + message.exchange() + ": " + e.getMessage(), e);
            }
        }

        /** Settles the delivery once its outcome is known: ack, or hand it back if even the failure path failed. */
        private void finish(Uni<String> outcome, long tag, long started, Span span) {
            outcome.subscribe().with(
                    done -> {
                        ack(tag);
                        count(done);
                        long took = System.nanoTime() - started;
                        timer.record(Duration.ofNanos(took));
                        LOG.debugf("Message on %s: %s in %d ms", queue, done, took / 1_000_000);
                        span.setAttribute("neurocards.outcome", done);
                        if ("dead_lettered".equals(done)) {
                            span.setStatus(StatusCode.ERROR, "dead-lettered");
                        }
                        span.end();
                        inFlight.decrementAndGet();
                    },
                    failure -> {
                        // Even the failure path failed (broker or database gone): hand the message back to the queue.
                        // The queue's delivery limit stops this from ever becoming a loop.
                        LOG.errorf("Could not settle a message on %s: %s; returning it to the queue", queue,
                                Redaction.describe(failure));
                        nack(tag);
                        count("requeued");
                        span.setStatus(StatusCode.ERROR, "requeued");
                        span.end();
                        inFlight.decrementAndGet();
                    });
        }

        private void count(String outcome) {
            registry.counter("neurocards.stage.messages", "queue", queue.queueName(), "stage", stageTag(),
                    "outcome", outcome).increment();
        }

        private String stageTag() {
            return queue.stage().name().toLowerCase(java.util.Locale.ROOT);
        }

        private void ack(long tag) {
            Channel channel = getChannel();
            synchronized (channel) {
                try {
                    channel.basicAck(tag, false);
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("Ack on %s failed (%s); the broker will deliver the message again", queue, e.toString());
                }
            }
        }

        /** Hands the message to the broker's dead-lettering (the queue's DLX routes it to its DLQ). */
        private void reject(long tag) {
            Channel channel = getChannel();
            synchronized (channel) {
                try {
                    channel.basicReject(tag, false);
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("Reject on %s failed (%s)", queue, e.toString());
                }
            }
        }

        private void nack(long tag) {
            Channel channel = getChannel();
            synchronized (channel) {
                try {
                    channel.basicNack(tag, false, true);
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("Nack on %s failed (%s)", queue, e.toString());
                }
            }
        }
    }

    /** Headers the broker adds on dead-lettering; copying them onto a republished message would only pile them up. */
    static Map<String, Object> withoutBrokerHeaders(Map<String, Object> headers) {
        Map<String, Object> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(key -> key.equals("x-death") || key.startsWith("x-first-death") || key.startsWith("x-last-death")
                || key.equals(Headers.DELAY_TIER));
        return copy;
    }
}
