package com.neurocards.messaging.consumer;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.MalformedEventException;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Event;
import com.neurocards.messaging.broker.AmqpHeaders;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.broker.Provenance;
import com.neurocards.messaging.observe.JobContext;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One stage on its queue's channel: each delivery is decoded and handed to the stage, a failure goes through the
 * {@link FailurePolicy} and its decision through {@link FailureActions}, and the delivery is settled only when all of
 * that is done: acked, or handed back to the queue if even the failure path failed.
 *
 * <p>A subscription lives as long as its channel and its consumer. When the broker takes either away (closes the
 * channel, cancels the consumer, the connection goes), it tells its {@link Loss} listener, which subscribes the stage
 * again on a fresh channel; then it is <em>retired</em>: the deliveries it still has in hand finish, and their
 * settling goes to the old channel only while that channel is open (a closed channel's unacked deliveries are the
 * broker's again, and it delivers them anew), and the old channel is closed once they are done.
 */
final class StageSubscription extends DefaultConsumer {

    private static final Logger LOG = Logger.getLogger(StageSubscription.class);

    /** Told when the broker took this subscription's consumer away. */
    interface Loss {
        void lost(StageSubscription subscription, String why);
    }

    private final StageConsumer stage;
    private final QueueName queue;
    private final FailurePolicy policy;
    private final FailureActions actions;
    private final StageTelemetry telemetry;
    /** Messages taken and not yet settled, across the service's subscriptions (a graceful stop waits for them). */
    private final AtomicInteger inFlight;
    /** The broker user this service connects as: its own copies' publisher is in a header ({@link Provenance}). */
    private final String ownUser;

    private final Loss loss;
    /** Runs the closing of a retired channel off the threads that settle (closing waits for the broker). */
    private final Executor housekeeping;
    /** This subscription's deliveries not yet settled. */
    private final AtomicInteger pending = new AtomicInteger();

    private volatile boolean retired;
    private final AtomicBoolean closed = new AtomicBoolean();

    StageSubscription(
            Channel channel,
            StageConsumer stage,
            FailurePolicy policy,
            FailureActions actions,
            StageTelemetry telemetry,
            AtomicInteger inFlight,
            String ownUser,
            Loss loss,
            Executor housekeeping) {
        super(channel);
        this.stage = stage;
        this.queue = stage.queue();
        this.policy = policy;
        this.actions = actions;
        this.telemetry = telemetry;
        this.inFlight = inFlight;
        this.ownUser = ownUser;
        this.loss = loss;
        this.housekeeping = housekeeping;
    }

    QueueName queue() {
        return queue;
    }

    /** Whether this subscription still consumes: not retired, and its channel open. */
    boolean isLive() {
        return !retired && getChannel().isOpen();
    }

    @Override
    public void handleCancel(String consumerTag) {
        // basic.cancel from the broker: the queue was deleted, or (some versions) its quorum leader moved
        loss.lost(this, "the broker cancelled the consumer (was the queue deleted?)");
    }

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
        if (!signal.isInitiatedByApplication()) {
            // a channel error (PRECONDITION_FAILED, consumer_timeout, ...) or the whole connection lost
            loss.lost(this, signal.getMessage());
        }
    }

    /**
     * No more deliveries come to this subscription: close its channel once the ones in hand are settled (at once when
     * none are), which also removes its consumer from the connection's records.
     */
    void retire() {
        retired = true;
        if (pending.get() == 0) {
            closeLater();
        }
    }

    private void closeLater() {
        try {
            housekeeping.execute(this::close);
        } catch (RejectedExecutionException stopping) {
            close();
        }
    }

    /** Closes the channel (after the broker took it away, only its records are left to clean). */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Channel channel = getChannel();
        String tag = getConsumerTag();
        try {
            if (tag != null) {
                channel.basicCancel(tag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.tracef("Cancelling a lost consumer of %s: %s", queue, e);
        }
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            LOG.tracef("Closing a lost channel of %s: %s", queue, e);
        }
    }

    /** One delivery of this subscription is done with (settled, or given up to the broker). */
    private void done() {
        inFlight.decrementAndGet();
        if (pending.decrementAndGet() == 0 && retired) {
            closeLater();
        }
    }

    @Override
    public void handleDelivery(
            String consumerTag, com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties properties, byte[] body) {
        inFlight.incrementAndGet();
        pending.incrementAndGet();
        try {
            dispatch(amqp, properties, body);
        } catch (RuntimeException | Error e) {
            // Never let an exception reach the client library: it would close the channel and stop the stage.
            LOG.errorf(e, "Could not dispatch a message on %s; rejecting it to the DLQ", queue);
            reject(amqp.getDeliveryTag());
            done();
        }
    }

    private void dispatch(com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties properties, byte[] body) {
        long started = System.nanoTime();
        long tag = amqp.getDeliveryTag();
        Map<String, Object> headers = AmqpHeaders.read(properties.getHeaders());
        Tries tries = Tries.of(headers);
        String publisher = Provenance.publisherOf(properties.getUserId(), headers, ownUser);
        // a retry or a dead letter is published as this service: it carries on whom the broker vouched for
        OutgoingMessage original = Redelivery.received(
                amqp.getRoutingKey(),
                properties.getMessageId(),
                properties.getType(),
                Provenance.forwarded(headers, publisher),
                body);
        Span span = telemetry.startSpan(headers, original.messageId());
        Context traced = Context.current().with(span);
        Envelope<Event> envelope;
        try {
            envelope = EventCodec.decode(body);
        } catch (MalformedEventException e) {
            try (JobContext.Restorer ignored =
                    JobContext.open(traced, headers.get(Headers.REQUEST_ID), headers.get(Headers.JOB_ID))) {
                LOG.errorf("Poison message %s on %s: %s", original.messageId(), queue, e.getMessage());
                settle(actions.deadLetter(original, policy.undecodable(e, tries)), tag, started, span);
            }
            return;
        }
        span.setAttribute("messaging.message.type", envelope.type());
        Delivery delivery = new Delivery(
                queue, envelope, amqp.getRoutingKey(), tries.attempt(), amqp.isRedeliver(), headers, publisher);
        // Everything assembled from here on — the stage's Uni, the failure path, the settling — carries the request
        // and job ids and the span, on whatever thread it continues (JobContextDecorator).
        try (JobContext.Restorer ignored = JobContext.open(traced, envelope.correlationId(), envelope.jobId())) {
            Uni<String> outcome = Uni.createFrom()
                    .deferred(() -> stage.handle(delivery))
                    .replaceWith("processed")
                    .onFailure()
                    .recoverWithUni(failure -> {
                        FailureDecision decision = policy.afterFailure(failure, tries);
                        if (decision.isFailure()) {
                            telemetry.failed(FailurePolicy.errorClass(failure));
                        }
                        return actions.carryOut(decision, delivery, original, failure);
                    });
            settle(outcome, tag, started, span);
        }
    }

    /** Settles the delivery once its outcome is known: ack, or hand it back if even the failure path failed. */
    private void settle(Uni<String> outcome, long tag, long started, Span span) {
        outcome.subscribe()
                .with(
                        done -> {
                            ack(tag);
                            telemetry.settled(span, done, started);
                            done();
                        },
                        failure -> {
                            // Even the failure path failed (broker or database gone): hand the message back to the
                            // queue.
                            // The queue's delivery limit stops this from ever becoming a loop.
                            LOG.errorf(
                                    "Could not settle a message on %s: %s; returning it to the queue",
                                    queue, Redaction.describe(failure));
                            nack(tag);
                            telemetry.requeued(span);
                            done();
                        });
    }

    private void ack(long tag) {
        onChannel("Ack", channel -> channel.basicAck(tag, false));
    }

    /** Hands the message to the broker's dead-lettering (the queue's DLX routes it to its DLQ). */
    private void reject(long tag) {
        onChannel("Reject", channel -> channel.basicReject(tag, false));
    }

    private void nack(long tag) {
        onChannel("Nack", channel -> channel.basicNack(tag, false, true));
    }

    private interface Settling {
        void on(Channel channel) throws IOException;
    }

    /**
     * Settles on this subscription's channel while it is open. A delivery tag means something only on the channel it
     * came on: once that channel is closed the broker has taken the delivery back and delivers it again (to this
     * stage's new subscription, where {@code Transactions.processOnce} makes the repeat harmless), so nothing is sent,
     * and nothing is thrown into the stage's pipeline.
     */
    private void onChannel(String what, Settling settling) {
        Channel channel = getChannel();
        synchronized (channel) {
            if (!channel.isOpen()) {
                LOG.debugf(
                        "%s on %s skipped: its channel is closed and the broker delivers the message again",
                        what, queue);
                return;
            }
            try {
                settling.on(channel);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("%s on %s failed (%s); the broker will deliver the message again", what, queue, e.toString());
            }
        }
    }
}
