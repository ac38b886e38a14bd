package com.neurocards.messaging.consumer;

import com.neurocards.contracts.QueueName;
import io.smallrye.mutiny.Uni;

/**
 * A stage: a CDI bean that consumes one queue. The {@link QueueConsumers} engine declares nothing and acks nothing
 * on the stage's behalf until {@link #handle} completes: success acks; a retryable {@link StageException} goes
 * through a delay tier and comes back with the attempt count in {@code x-attempt}; anything else, or retries
 * exhausted, goes to the queue's DLQ with the cause in headers, after {@link #onGiveUp} had its say.
 *
 * <p>Implementations keep the adapter thin: decode the payload, call plain domain code, write results through the
 * outbox in one transaction ({@code Transactions.processOnce}).
 */
public interface StageConsumer {

    QueueName queue();

    Uni<Void> handle(Delivery delivery);

    /** Tries before giving up; {@code 0} means the service-wide default ({@code neurocards.messaging.consumers.max-attempts}). */
    default int maxAttempts() {
        return 0;
    }

    /**
     * Unacked messages the queue may hand this stage at a time; {@code 0} means the service-wide default
     * ({@code neurocards.messaging.consumers.prefetch}). For a stage whose messages mostly wait (for a Telegram chat's
     * pace) rather than work, holding nothing while they wait.
     */
    default int prefetch() {
        return 0;
    }

    /** A retry was scheduled as attempt {@code nextAttempt} (e.g. tell the user "retrying"). Must be idempotent. */
    default Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        return Uni.createFrom().voidItem();
    }

    /**
     * The message is going to the DLQ (retries exhausted, or an unexpected failure). The place to fail the job so the
     * user is refunded. Must be idempotent: a crash before the ack runs it again.
     */
    default Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        return Uni.createFrom().voidItem();
    }
}
