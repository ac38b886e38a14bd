package com.neurocards.messaging.consumer;

import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.consumer.FailureDecision.DeadLetter;
import com.neurocards.messaging.consumer.FailureDecision.GiveUp;
import com.neurocards.messaging.consumer.FailureDecision.Pace;
import com.neurocards.messaging.consumer.FailureDecision.Reason;
import com.neurocards.messaging.consumer.FailureDecision.Retry;
import com.neurocards.messaging.consumer.FailureDecision.RideOut;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link FailureDecision} for one stage: sends the message on (through a delay tier, or to the DLQ) and
 * lets the stage have its say ({@link StageConsumer#onRetry}, {@link StageConsumer#onGiveUp}). The resulting Uni
 * completes with the outcome once all of it is done, so the delivery is acked only then; it fails when the message
 * could not be sent on, so the delivery is handed back instead.
 */
final class FailureActions {

    private static final Logger LOG = Logger.getLogger(FailureActions.class);

    private final StageConsumer stage;
    private final QueueName queue;
    private final int maxAttempts;
    private final ConfirmingPublisher publisher;

    FailureActions(StageConsumer stage, int maxAttempts, ConfirmingPublisher publisher) {
        this.stage = stage;
        this.queue = stage.queue();
        this.maxAttempts = maxAttempts;
        this.publisher = publisher;
    }

    /** After the stage's work on {@code delivery} failed with {@code failure}. */
    Uni<String> carryOut(FailureDecision decision, Delivery delivery, OutgoingMessage original, Throwable failure) {
        // Publishing waits for the broker's confirm: never on the thread the stage's Uni completed on (an event loop).
        return Uni.createFrom()
                .voidItem()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(ignored -> {
                    String type = delivery.envelope().type();
                    if (decision instanceof Pace pace) {
                        LOG.debugf(
                                "%s on %s waits %s (%s); attempt %d kept",
                                type, queue, pace.tier().label(), Redaction.describe(failure), pace.attempt());
                        publish(Redelivery.throughDelayTier(
                                original.withHeaders(Map.of(Headers.PACING_ROUND, pace.round())),
                                queue,
                                pace.attempt(),
                                pace.tier()));
                        return Uni.createFrom().item(pace.outcome());
                    }
                    if (decision instanceof RideOut rideOut) {
                        LOG.warnf(
                                "%s on %s hit infrastructure trouble (%s); trying again in %s without using an attempt",
                                type,
                                queue,
                                Redaction.describe(failure),
                                rideOut.tier().label());
                        publish(Redelivery.throughDelayTier(
                                original.withHeaders(Map.of(Headers.INFRASTRUCTURE_ATTEMPT, rideOut.round())),
                                queue,
                                rideOut.attempt(),
                                rideOut.tier()));
                        return Uni.createFrom().item(rideOut.outcome());
                    }
                    if (decision instanceof Retry retry) {
                        LOG.infof(
                                "%s on %s failed (%s), attempt %d of %d; retrying in %s",
                                type,
                                queue,
                                Redaction.describe(failure),
                                delivery.attempt(),
                                maxAttempts,
                                retry.tier().label());
                        publish(Redelivery.throughDelayTier(original, queue, retry.nextAttempt(), retry.tier()));
                        // only a StageException is ever retried (FailurePolicy)
                        return stage.onRetry(delivery, (StageException) failure, retry.nextAttempt())
                                .onFailure()
                                .invoke(e -> LOG.warnf("onRetry of %s failed: %s", queue, Redaction.describe(e)))
                                .onFailure()
                                .recoverWithNull()
                                .replaceWith(retry.outcome());
                    }
                    if (decision instanceof GiveUp giveUp) {
                        if (giveUp.reason() == Reason.NOT_RETRYABLE || giveUp.reason() == Reason.ATTEMPTS_USED_UP) {
                            LOG.warnf(
                                    "%s on %s gave up after %d attempt(s): %s",
                                    type, queue, giveUp.attempt(), giveUp.cause());
                        } else {
                            LOG.errorf(failure, "%s on %s failed unexpectedly; dead-lettering it", type, queue);
                        }
                        return stage.onGiveUp(delivery, failure)
                                .emitOn(Infrastructure.getDefaultWorkerPool())
                                .invoke(() -> publish(Redelivery.deadLetter(
                                        original,
                                        queue,
                                        giveUp.attempt(),
                                        giveUp.errorClass(),
                                        giveUp.cause(),
                                        Instant.now())))
                                .replaceWith(giveUp.outcome());
                    }
                    return deadLetter(original, (DeadLetter) decision);
                });
    }

    /** A message that could not be read: to the DLQ, the stage not involved. */
    Uni<String> deadLetter(OutgoingMessage original, DeadLetter decision) {
        return Uni.createFrom()
                .item(decision.outcome())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> publish(Redelivery.deadLetter(
                        original, queue, decision.attempt(), decision.errorClass(), decision.cause(), Instant.now())));
    }

    private void publish(OutgoingMessage message) {
        try {
            publisher.publish(message);
        } catch (IOException e) {
            throw new IllegalStateException("Could not publish to " + message.exchange() + ": " + e.getMessage(), e);
        }
    }
}
