package com.neurocards.telegram;

import java.time.Duration;

/**
 * How one service waits for Telegram; each service provides one as a bean for its {@link BotSender}. Telegram allows
 * about one message a second in a chat and answers a faster bot with 429 and a {@code retry_after}; what such a wait
 * should become depends on who is sending:
 * <ul>
 * <li>the gateway answers a user who is looking at the chat: it waits a short {@code retry_after} in place and tries
 * again ({@link #waitInPlace});</li>
 * <li>the pipeline holds a broker message: it spaces its sends per chat itself ({@link ChatThrottle}) and hands every
 * longer wait, and every 429, back as a failure of its own (a paced message that waits in a delay tier), so no
 * consumer thread sleeps for long ({@link #handBack}).</li>
 * </ul>
 *
 * @param sender        the {@code sender} tag of {@link TelegramMetrics#RATE_LIMITED} ({@code gateway}, {@code pipeline})
 * @param throttle      this instance's spacing of sends to a chat, or null for none
 * @param calls         how many times one send may reach Telegram: after a 429 whose wait is within
 *                      {@code maxRetryAfter}, or a call that got no answer, it is tried again while calls are left
 * @param maxRetryAfter the longest {@code retry_after} waited in place
 * @param handBack      what a wait that is not spent in place becomes; null: the send fails with its rate-limited
 *                      {@link TelegramFailure} (only without a throttle, whose waits need somewhere to go)
 */
public record SendPolicy(String sender, ChatThrottle throttle, int calls, Duration maxRetryAfter, HandBack handBack) {

    public SendPolicy {
        if (throttle != null && handBack == null) {
            throw new IllegalArgumentException("A throttle needs a hand-back for the waits it does not spend in place");
        }
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
         * @param providerCode 429 when Telegram asked for the wait, null when this instance's throttle did
         */
        RuntimeException wait(String reason, Duration wait, Integer providerCode);
    }

    /**
     * No spacing of our own; a 429 is waited out in place when Telegram asks for at most {@code maxRetryAfter}, up to
     * {@code calls} calls in all. Otherwise the send fails with a rate-limited {@link TelegramFailure}.
     */
    public static SendPolicy waitInPlace(String sender, int calls, Duration maxRetryAfter) {
        return new SendPolicy(sender, null, calls, maxRetryAfter, null);
    }

    /**
     * Sends spaced by {@code throttle} (its own short waits are spent in place); one call per send, and a 429 or a
     * longer wait for the chat is handed back through {@code handBack}. A 429 also pushes the chat back in the throttle.
     */
    public static SendPolicy handBack(String sender, ChatThrottle throttle, HandBack handBack) {
        return new SendPolicy(sender, throttle, 1, Duration.ZERO, handBack);
    }
}
