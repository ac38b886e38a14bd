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
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One stage on its queue's channel: each delivery is decoded and handed to the stage, a failure goes through the
 * {@link FailurePolicy} and its decision through {@link FailureActions}, and the delivery is settled only when all of
 * that is done: acked, or handed back to the queue if even the failure path failed.
 */
final class StageSubscription extends DefaultConsumer {

    private static final Logger LOG = Logger.getLogger(StageSubscription.class);

    private final StageConsumer stage;
    private final QueueName queue;
    private final FailurePolicy policy;
    private final FailureActions actions;
    private final StageTelemetry telemetry;
    /** Messages taken and not yet settled, across the service's subscriptions (a graceful stop waits for them). */
    private final AtomicInteger inFlight;
    /** The broker user this service connects as: its own copies' publisher is in a header ({@link Provenance}). */
    private final String ownUser;

    StageSubscription(
            Channel channel,
            StageConsumer stage,
            FailurePolicy policy,
            FailureActions actions,
            StageTelemetry telemetry,
            AtomicInteger inFlight,
            String ownUser) {
        super(channel);
        this.stage = stage;
        this.queue = stage.queue();
        this.policy = policy;
        this.actions = actions;
        this.telemetry = telemetry;
        this.inFlight = inFlight;
        this.ownUser = ownUser;
    }

    @Override
    public void handleDelivery(
            String consumerTag, com.rabbitmq.client.Envelope amqp, AMQP.BasicProperties properties, byte[] body) {
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
                            inFlight.decrementAndGet();
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
                            inFlight.decrementAndGet();
                        });
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
