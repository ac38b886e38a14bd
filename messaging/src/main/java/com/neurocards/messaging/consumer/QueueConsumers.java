package com.neurocards.messaging.consumer;

import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.Backoff;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.broker.BrokerConnection;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.TopologyDeclarer;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>It also keeps every stage consuming. When the broker takes a stage's consumer away — closes its channel (a
 * channel error such as {@code PRECONDITION_FAILED}, a {@code consumer_timeout}), cancels it (its queue was deleted),
 * or the whole connection goes — the stage is subscribed again on a fresh channel with the same prefetch, its queue
 * declared again first if the broker lost it, with a growing wait between tries
 * ({@code consumers.resubscribe-backoff} doubling up to {@code consumers.resubscribe-max-backoff}). One warning per
 * loss, one line per recovery, {@code neurocards_stage_resubscriptions_total} counts them, and {@link #notConsuming()}
 * feeds readiness.
 */
@ApplicationScoped
public class QueueConsumers {

    private static final Logger LOG = Logger.getLogger(QueueConsumers.class);

    private final BrokerConnection broker;
    private final ConfirmingPublisher publisher;
    private final TopologyDeclarer topology;
    private final MessagingConfig config;
    private final Instance<StageConsumer> stages;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Slot> slots = new ArrayList<>();
    /** Subscribes lost stages again and closes retired channels; one thread, never the client's own. */
    private ScheduledExecutorService housekeeping;

    private volatile boolean stopping;
    private boolean listening;

    public QueueConsumers(
            BrokerConnection broker,
            ConfirmingPublisher publisher,
            TopologyDeclarer topology,
            MessagingConfig config,
            @Any Instance<StageConsumer> stages,
            MeterRegistry registry,
            Tracer tracer) {
        this.broker = broker;
        this.publisher = publisher;
        this.topology = topology;
        this.config = config;
        this.stages = stages;
        this.registry = registry;
        this.tracer = tracer;
    }

    /** One stage this instance consumes, and the subscription it consumes through now ({@code null} while it has none). */
    private final class Slot {
        final StageConsumer stage;
        final QueueName queue;
        final FailurePolicy policy;
        final StageTelemetry telemetry;
        StageSubscription current;
        /** When the current loss began, and how many tries to subscribe again failed since. */
        long lostAt;

        int failedTries;
        /** The try to subscribe again that is due; an older one still scheduled does nothing. */
        long due;

        Slot(StageConsumer stage) {
            this.stage = stage;
            this.queue = stage.queue();
            this.policy = policyFor(stage, config.consumers());
            this.telemetry = new StageTelemetry(queue, registry, tracer);
        }
    }

    public synchronized void start() {
        stopping = false;
        if (!listening) {
            broker.whenReconnected(this::reconnected);
            listening = true;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stage-resubscribe");
            thread.setDaemon(true);
            return thread;
        });
        for (StageConsumer stage : stages) {
            QueueName queue = stage.queue();
            if (config.consumers().only().isPresent()
                    && !config.consumers().only().get().contains(queue.queueName())) {
                continue;
            }
            Slot slot = new Slot(stage);
            try {
                subscribe(slot);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("Cannot consume " + queue + ": " + e.getMessage(), e);
            }
            slots.add(slot);
            LOG.infof("Consuming %s", queue);
        }
    }

    /** Opens a fresh channel with the stage's prefetch and consumes its queue on it. */
    private void subscribe(Slot slot) throws IOException {
        Channel channel = broker.openChannel();
        StageSubscription subscription = null;
        try {
            channel.basicQos(
                    slot.stage.prefetch() > 0
                            ? slot.stage.prefetch()
                            : config.consumers().prefetch());
            subscription = new StageSubscription(
                    channel,
                    slot.stage,
                    slot.policy,
                    new FailureActions(slot.stage, slot.policy.maxAttempts(), publisher),
                    slot.telemetry,
                    inFlight,
                    config.broker().username(),
                    this::lost,
                    housekeeping);
            synchronized (this) {
                // a loss reported before basicConsume returns must find this subscription current
                slot.current = subscription;
            }
            channel.basicConsume(
                    slot.queue.queueName(),
                    false,
                    BrokerConnection.STAGE_CONSUMER_TAG + config.serviceName() + "/" + slot.queue.queueName() + "/"
                            + Long.toHexString(System.nanoTime()),
                    subscription);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (slot.current == subscription) {
                    slot.current = null;
                }
            }
            try {
                channel.abort();
            } catch (IOException | RuntimeException closing) {
                LOG.tracef("Closing a channel that could not consume %s: %s", slot.queue, closing);
            }
            throw e;
        }
    }

    /** A subscription's consumer was taken away by the broker: retire it and subscribe the stage again. */
    private synchronized void lost(StageSubscription subscription, String why) {
        Slot slot = slotOf(subscription);
        if (stopping || slot == null) {
            return; // shutting down, or an old subscription's late news
        }
        slot.current = null;
        slot.lostAt = System.nanoTime();
        slot.failedTries = 0;
        LOG.warnf("Lost the consumer of %s: %s; subscribing again", slot.queue, why);
        subscription.retire();
        schedule(slot, config.consumers().resubscribeBackoff().toMillis());
    }

    private Slot slotOf(StageSubscription subscription) {
        for (Slot slot : slots) {
            if (slot.current == subscription) {
                return slot;
            }
        }
        return null;
    }

    /** Schedules the slot's next try to subscribe again, replacing any try scheduled before. Holds the monitor. */
    private void schedule(Slot slot, long delayMillis) {
        long due = ++slot.due;
        try {
            housekeeping.schedule(() -> resubscribe(slot, due), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debugf("Not subscribing %s again: stopping", slot.queue);
        }
    }

    /** The connection is back: every stage still without a consumer tries at once, not at the end of its wait. */
    private synchronized void reconnected() {
        if (stopping || housekeeping == null) {
            return;
        }
        for (Slot slot : slots) {
            if (slot.current == null) {
                schedule(slot, 0);
            }
        }
    }

    /** One try to consume the stage's queue again; the next one waits twice as long, up to the cap. */
    private void resubscribe(Slot slot, long due) {
        synchronized (this) {
            if (stopping || slot.due != due || slot.current != null) {
                return; // stopping, replaced by a later try, or consuming already
            }
        }
        try {
            try {
                subscribe(slot);
            } catch (IOException e) {
                if (replyCode(e) != AMQP.NOT_FOUND
                        || !topology.redeclare(slot.queue, config.broker().declareTopology())) {
                    throw e;
                }
                LOG.infof("Declared %s again: the broker had lost it", slot.queue);
                subscribe(slot);
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                slot.failedTries++;
                long backoff = backoff(slot.failedTries);
                LOG.debugf("Cannot consume %s yet (%s); trying again in %d ms", slot.queue, describe(e), backoff);
                schedule(slot, backoff);
            }
            return;
        }
        synchronized (this) {
            slot.telemetry.resubscribed();
            LOG.infof(
                    "Consuming %s again, %d ms after losing it (%d failed tries)",
                    slot.queue, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slot.lostAt), slot.failedTries);
        }
    }

    /** The wait after {@code failedTries} failed tries: the first wait doubled each time, capped, jittered. */
    private long backoff(int failedTries) {
        long first = Math.max(1, config.consumers().resubscribeBackoff().toMillis());
        long cap = Math.max(first, config.consumers().resubscribeMaxBackoff().toMillis());
        int doublings = Math.min(failedTries, 20);
        // jittered (a half to the whole): tries on a fixed period can keep missing a connection that is up only
        // for moments between losses
        return Backoff.jittered(Duration.ofMillis(Math.min(cap, first << doublings)));
    }

    /** The AMQP reply code the broker closed the channel with (404 for a missing queue), or 0. */
    private static int replyCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close) {
                return close.getReplyCode();
            }
        }
        return 0;
    }

    private static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal) {
                return signal.getMessage();
            }
        }
        return failure.toString();
    }

    /** The service's limits, with the stage's own number of attempts when it has one. */
    private static FailurePolicy policyFor(StageConsumer stage, MessagingConfig.Consumers consumers) {
        int maxAttempts = stage.maxAttempts() > 0 ? stage.maxAttempts() : consumers.maxAttempts();
        return new FailurePolicy(maxAttempts, consumers.maxInfrastructureAttempts(), consumers.maxPacingRounds());
    }

    /** Stops taking new messages, lets the ones in flight finish (up to {@code grace}), then closes the channels. */
    public void stop(Duration grace) {
        List<StageSubscription> current = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            if (housekeeping != null) {
                housekeeping.shutdownNow();
            }
            for (Slot slot : slots) {
                if (slot.current != null) {
                    current.add(slot.current);
                }
            }
            slots.clear();
        }
        for (StageSubscription subscription : current) {
            try {
                subscription.getChannel().basicCancel(subscription.getConsumerTag());
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Cancelling %s: %s", subscription.queue(), e.toString());
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
        for (StageSubscription subscription : current) {
            subscription.close();
        }
    }

    /** The queues this instance consumes, whether or not it has a live consumer on each right now. */
    public synchronized List<QueueName> consumedQueues() {
        return slots.stream().map(slot -> slot.queue).toList();
    }

    /**
     * The queues this instance should consume and has no live consumer on right now (lost, and not subscribed again
     * yet): readiness is DOWN while there is one.
     */
    public synchronized List<QueueName> notConsuming() {
        return slots.stream()
                .filter(slot -> slot.current == null || !slot.current.isLive())
                .map(slot -> slot.queue)
                .toList();
    }

    /** The channel {@code queue}'s stage consumes on now, if it has one (for the tests that break it). */
    synchronized Channel channelOf(QueueName queue) {
        return slots.stream()
                .filter(slot -> slot.queue == queue && slot.current != null)
                .map(slot -> slot.current.getChannel())
                .findFirst()
                .orElse(null);
    }
}
