package com.neurocards.telegram;

import java.time.Duration;
import java.time.Instant;

/**
 * The one rule that spaces a bot's sends (docs/outside-services.md#telegram-rate-limits: about one message a second in
 * a chat, about {@code globalPerSecond} for the whole bot, a faster bot gets 429s), as a pure function of the state it
 * is given: the next free moment of the chat and of the bot. {@link ChatThrottle} keeps that state in this process,
 * {@link SharedChatThrottle} in PostgreSQL for every instance that speaks as the bot; both decide here.
 *
 * @param perChat         the spacing of two sends to one chat
 * @param globalPerSecond the bot's sends per second, all chats together
 * @param maxWait         the furthest a slot may be reserved ahead; beyond, nothing is reserved and the wait is told
 */
public record SendSpacing(Duration perChat, int globalPerSecond, Duration maxWait) {

    public SendSpacing {
        if (perChat.isNegative() || maxWait.isNegative() || globalPerSecond < 1) {
            throw new IllegalArgumentException(
                    "Send spacing needs a non-negative interval and wait, and a rate of 1 or more");
        }
    }

    /** The spacing of two of the bot's sends, whatever their chats. */
    public Duration globalSpacing() {
        return Duration.ofNanos(1_000_000_000L / globalPerSecond);
    }

    /**
     * Reserves the next slot of a chat.
     *
     * @param now        the present, on the clock the state was written with
     * @param chatNext   the chat's next free moment ({@link Instant#EPOCH} for a chat never seen)
     * @param globalNext the bot's next free moment
     * @return the wait and the state after it; a refusal (negative wait) leaves the state as it was
     */
    public Reservation reserve(Instant now, Instant chatNext, Instant globalNext) {
        Instant slot = max(max(now, chatNext), globalNext);
        Duration wait = Duration.between(now, slot);
        if (wait.compareTo(maxWait) > 0) {
            return new Reservation(wait.negated(), chatNext, globalNext);
        }
        return new Reservation(wait, slot.plus(perChat), max(globalNext, slot).plus(globalSpacing()));
    }

    /** A chat Telegram answered 429 for: its next free moment once {@code retryAfter} has passed. */
    public static Instant backOff(Instant now, Instant chatNext, Duration retryAfter) {
        return max(chatNext, now.plus(retryAfter));
    }

    /**
     * One reservation's outcome.
     *
     * @param delay      how long to wait before sending (zero = now), or the negative of the wait needed when the slot
     *                   is further away than {@code maxWait}: nothing is reserved then
     * @param chatNext   the chat's next free moment after it
     * @param globalNext the bot's next free moment after it
     */
    public record Reservation(Duration delay, Instant chatNext, Instant globalNext) {
        public boolean reserved() {
            return !delay.isNegative();
        }
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
