package com.neurocards.telegram;

import java.time.Duration;

/**
 * How one service waits for Telegram; each service provides one as a bean for its {@link BotSender}. Telegram allows
 * about one message a second in a chat and about 30 a second for the bot, for every process that speaks as the bot
 * together, and answers a faster bot with 429 and a {@code retry_after}. Both services space their sends with one
 * {@link SendThrottle} shared through the database ({@link SendThrottles}); what a wait should become depends on who
 * is sending:
 * <ul>
 * <li>the gateway answers a user who is looking at the chat: it waits for a slot, or a short {@code retry_after}, in
 * place and sends ({@link #waitInPlace});</li>
 * <li>the pipeline holds a broker message: it waits in place only for a slot within its throttle's short
 * {@code maxWait} and hands every longer wait, and every 429, back as a failure of its own (a paced message that
 * waits in a delay tier), so no consumer thread sleeps for long ({@link #handBack}).</li>
 * </ul>
 *
 * @param sender        the {@code sender} tag of {@link TelegramMetrics#RATE_LIMITED} ({@code gateway}, {@code pipeline})
 * @param throttle      the spacing of sends to a chat, or null for none
 * @param calls         how many times one send may reach Telegram: after a 429 whose wait is within
 *                      {@code maxRetryAfter}, or a call that got no answer, it is tried again while calls are left
 * @param maxRetryAfter the longest wait spent in place: for a {@code retry_after}, and in all for the throttle's slots
 *                      further away than its {@code maxWait} (each such wait is waited out and a slot asked for again)
 * @param handBack      what a wait that is not spent in place becomes; null: a 429 fails the send with its rate-limited
 *                      {@link TelegramFailure}, a slot too far away with {@link NoSlot}
 */
public record SendPolicy(String sender, SendThrottle throttle, int calls, Duration maxRetryAfter, HandBack handBack) {

    public SendPolicy {
        if (calls < 1) {
            throw new IllegalArgumentException("A send makes at least one call");
        }
    }

    /** Turns a wait into the failure the caller understands (the pipeline: {@code StageException::paced}). */
    @FunctionalInterface
    public interface HandBack {
        /**
         * @param reason       what is busy, fit for a log (no secret)
         * @param wait         how long it is busy
         * @param providerCode 429 when Telegram asked for the wait, null when the throttle did
         */
        RuntimeException wait(String reason, Duration wait, Integer providerCode);
    }

    /** A send given up because the throttle had no slot for it within the wait the policy spends in place. */
    public static final class NoSlot extends RuntimeException {
        private final Duration wait;

        public NoSlot(String reason, Duration wait) {
            super(reason + ": the next free slot is " + wait + " away", null, false, false);
            this.wait = wait;
        }

        /** How long the chat is busy. */
        public Duration waitNeeded() {
            return wait;
        }
    }

    /**
     * No spacing of our own; a 429 is waited out in place when Telegram asks for at most {@code maxRetryAfter}, up to
     * {@code calls} calls in all. Otherwise the send fails with a rate-limited {@link TelegramFailure}.
     */
    public static SendPolicy waitInPlace(String sender, int calls, Duration maxRetryAfter) {
        return waitInPlace(sender, null, calls, maxRetryAfter);
    }

    /**
     * Sends spaced by {@code throttle}, every wait for a slot and every 429 waited out in place while the waits add up
     * to at most {@code maxRetryAfter} (and calls are left); beyond, the send fails ({@link NoSlot}, or the rate-limited
     * {@link TelegramFailure}). A 429 also pushes the chat back in the throttle.
     */
    public static SendPolicy waitInPlace(String sender, SendThrottle throttle, int calls, Duration maxRetryAfter) {
        return new SendPolicy(sender, throttle, calls, maxRetryAfter, null);
    }

    /**
     * Sends spaced by {@code throttle} (its waits up to its {@code maxWait} are spent in place); one call per send, and a
     * 429 or a longer wait for the chat is handed back through {@code handBack}. A 429 also pushes the chat back in the
     * throttle.
     */
    public static SendPolicy handBack(String sender, SendThrottle throttle, HandBack handBack) {
        if (handBack == null) {
            throw new IllegalArgumentException("A hand-back policy needs a hand-back");
        }
        return new SendPolicy(sender, throttle, 1, Duration.ZERO, handBack);
    }
}
