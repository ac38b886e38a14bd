package com.neurocards.messaging.consumer;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.consumer.FailureDecision.DeadLetter;
import com.neurocards.messaging.consumer.FailureDecision.GiveUp;
import com.neurocards.messaging.consumer.FailureDecision.Pace;
import com.neurocards.messaging.consumer.FailureDecision.Reason;
import com.neurocards.messaging.consumer.FailureDecision.Retry;
import com.neurocards.messaging.consumer.FailureDecision.RideOut;
import java.time.Duration;

/**
 * The delivery rules for a failed message, as a pure function: the failure and the message's {@link Tries} in, a
 * {@link FailureDecision} out. Nothing here touches the broker, a stage or a clock.
 *
 * <p>In order: pacing waits without using an attempt, a bounded number of rounds; our own infrastructure trouble is
 * ridden out through the 5 s tier without using an attempt, also bounded; a retryable {@link StageException} is
 * retried through growing delay tiers (at least the provider's {@code retryAfter}) while attempts are left; everything
 * else gives up. Pacing and infrastructure rounds are bounded so that no failure, however misread, keeps a message
 * circling for ever.
 *
 * @param maxAttempts             tries of one message before it gives up (1 = no retry)
 * @param maxInfrastructureRounds rounds through the 5 s tier for infrastructure trouble
 * @param maxPacingRounds         waits for something busy before such a wait counts as a failed attempt
 */
public record FailurePolicy(int maxAttempts, int maxInfrastructureRounds, int maxPacingRounds) {

    /** Our own infrastructure trouble (database restarting) is retried after this wait. */
    static final DelayTier INFRASTRUCTURE_TIER = DelayTier.SECONDS_5;

    /** The stage's work failed with {@code failure}. */
    public FailureDecision afterFailure(Throwable failure, Tries tries) {
        StageException stageFailure = failure instanceof StageException s ? s : null;
        int pacingRound = tries.pacingRounds() + 1;
        if (stageFailure != null && stageFailure.pacing() && pacingRound <= maxPacingRounds) {
            return new Pace(
                    DelayTier.atLeast(stageFailure.retryAfter().orElse(Duration.ZERO)), tries.attempt(), pacingRound);
        }
        int infrastructureRound = tries.infrastructureRounds() + 1;
        boolean infrastructure = TransientFailures.isInfrastructure(failure);
        if (infrastructure && infrastructureRound <= maxInfrastructureRounds) {
            return new RideOut(INFRASTRUCTURE_TIER, tries.attempt(), infrastructureRound);
        }
        if (stageFailure != null && stageFailure.retryable() && tries.attempt() < maxAttempts) {
            DelayTier tier = DelayTier.forRetry(tries.attempt());
            if (stageFailure.retryAfter().isPresent()) {
                DelayTier asked = DelayTier.atLeast(stageFailure.retryAfter().get());
                tier = asked.compareTo(tier) > 0 ? asked : tier;
            }
            return new Retry(tier, tries.attempt() + 1);
        }
        Reason reason = stageFailure == null
                ? infrastructure ? Reason.INFRASTRUCTURE_ROUNDS_USED_UP : Reason.UNEXPECTED
                : stageFailure.retryable() ? Reason.ATTEMPTS_USED_UP : Reason.NOT_RETRYABLE;
        return new GiveUp(reason, errorClass(failure), Redaction.describe(failure), tries.attempt());
    }

    /** The message could not be decoded at all ({@code cause} says why). */
    public DeadLetter undecodable(Throwable cause, Tries tries) {
        return new DeadLetter(ErrorClass.UNKNOWN, Redaction.describe(cause), tries.attempt());
    }

    /** The class a failure is counted and dead-lettered as: what the stage said, or UNKNOWN when it said nothing. */
    public static ErrorClass errorClass(Throwable failure) {
        return failure instanceof StageException s ? s.errorClass() : ErrorClass.UNKNOWN;
    }
}
