package com.neurocards.messaging.consumer;

import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.broker.BrokerConnection;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs every {@link StageConsumer} of the service on its queue, with the delivery rules of
 * docs/architecture.md#how-a-stage-handles-a-message: ack only after the stage's effects are committed; retry
 * retryable failures through the delay tiers with the attempt count in a header, bounded; dead-letter everything
 * else with the cause in headers; never loop.
 *
 * <p>This class starts and stops the subscriptions. One {@link StageSubscription} per stage receives and settles its
 * deliveries; the {@link FailurePolicy} decides what a failure leads to and {@link FailureActions} carries that out;
 * {@link StageTelemetry} keeps the spans and metrics.
 */
@ApplicationScoped
public class QueueConsumers {

    private static final Logger LOG = Logger.getLogger(QueueConsumers.class);

    private final BrokerConnection broker;
    private final ConfirmingPublisher publisher;
    private final MessagingConfig config;
    private final Instance<StageConsumer> stages;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Running> running = new ArrayList<>();

    public QueueConsumers(
            BrokerConnection broker,
            ConfirmingPublisher publisher,
            MessagingConfig config,
            @Any Instance<StageConsumer> stages,
            MeterRegistry registry,
            Tracer tracer) {
        this.broker = broker;
        this.publisher = publisher;
        this.config = config;
        this.stages = stages;
        this.registry = registry;
        this.tracer = tracer;
    }

    private record Running(StageConsumer stage, Channel channel, String consumerTag) {}

    public synchronized void start() {
        for (StageConsumer stage : stages) {
            QueueName queue = stage.queue();
            if (config.consumers().only().isPresent()
                    && !config.consumers().only().get().contains(queue.queueName())) {
                continue;
            }
            try {
                Channel channel = broker.openChannel();
                channel.basicQos(config.consumers().prefetch());
                String tag = channel.basicConsume(
                        queue.queueName(),
                        false,
                        config.serviceName() + "/" + queue.queueName() + "/" + Long.toHexString(System.nanoTime()),
                        subscription(stage, channel));
                running.add(new Running(stage, channel, tag));
                LOG.infof("Consuming %s", queue);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot consume " + queue + ": " + e.getMessage(), e);
            }
        }
    }

    private StageSubscription subscription(StageConsumer stage, Channel channel) {
        FailurePolicy policy = policyFor(stage, config.consumers());
        return new StageSubscription(
                channel,
                stage,
                policy,
                new FailureActions(stage, policy.maxAttempts(), publisher),
                new StageTelemetry(stage.queue(), registry, tracer),
                inFlight,
                config.broker().username());
    }

    /** The service's limits, with the stage's own number of attempts when it has one. */
    private static FailurePolicy policyFor(StageConsumer stage, MessagingConfig.Consumers consumers) {
        int maxAttempts = stage.maxAttempts() > 0 ? stage.maxAttempts() : consumers.maxAttempts();
        return new FailurePolicy(maxAttempts, consumers.maxInfrastructureAttempts(), consumers.maxPacingRounds());
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
}
