package com.neurocards.messaging.consumer;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;

/**
 * What becomes of a message whose stage failed, or that could not even be read: the answer of {@link FailurePolicy},
 * carried out by {@link FailureActions}. Every decision ends in an ack of the delivery in hand; what differs is where
 * the message goes next and with which headers.
 */
public sealed interface FailureDecision {

    /** The {@code outcome} tag of {@code neurocards_stage_messages_total} for a message settled this way. */
    String outcome();

    /** Whether it counts in {@code neurocards_stage_failures_total}: waiting for something busy is not a failure. */
    default boolean isFailure() {
        return true;
    }

    /**
     * What the message needs is busy: round {@code tier} back to the queue as the same {@code attempt}, as pacing
     * round {@code round} ({@code x-pacing-round}).
     */
    record Pace(DelayTier tier, int attempt, int round) implements FailureDecision {
        @Override
        public String outcome() {
            return "paced";
        }

        @Override
        public boolean isFailure() {
            return false;
        }
    }

    /**
     * Our own infrastructure failed (database restarting): round {@code tier} back to the queue as the same
     * {@code attempt}, as infrastructure round {@code round} ({@code x-infrastructure-attempt}).
     */
    record RideOut(DelayTier tier, int attempt, int round) implements FailureDecision {
        @Override
        public String outcome() {
            return "infrastructure_retry";
        }
    }

    /** A retryable failure with attempts left: round {@code tier} back to the queue as {@code nextAttempt}. */
    record Retry(DelayTier tier, int nextAttempt) implements FailureDecision {
        @Override
        public String outcome() {
            return "retried";
        }
    }

    /**
     * The stage's work cannot succeed (or has had its tries): the stage gives up ({@code onGiveUp}, where a job fails
     * and is refunded), then the message goes to the queue's DLQ with the cause.
     */
    record GiveUp(Reason reason, ErrorClass errorClass, String cause, int attempt) implements FailureDecision {
        @Override
        public String outcome() {
            return "dead_lettered";
        }
    }

    /** Why a stage gives up. */
    enum Reason {
        /** The stage said what failed, and that class is not worth another try (USER, AUTH, BILLING, UNKNOWN). */
        NOT_RETRYABLE,
        /** Retryable, but the last attempt failed too. */
        ATTEMPTS_USED_UP,
        /** Infrastructure trouble that outlasted every round it may take. */
        INFRASTRUCTURE_ROUNDS_USED_UP,
        /** A failure no rule expects (a bug, most likely). */
        UNEXPECTED
    }

    /**
     * The message cannot be read (not JSON, unknown type or version): straight to the DLQ with the cause. The stage is
     * not asked: it could not read the message either.
     */
    record DeadLetter(ErrorClass errorClass, String cause, int attempt) implements FailureDecision {
        @Override
        public String outcome() {
            return "dead_lettered";
        }
    }
}
