package com.neurocards.telegram;

import java.time.Duration;
import java.time.Instant;

/**
 * The one rule that spaces a bot's sends (docs/outside-services.md#telegram-rate-limits: about one message a second in
 * a chat, about {@code globalPerSecond} for the whole bot, a faster bot gets 429s), as a pure function of the state it
 * is given. {@link ChatThrottle} keeps that state in this process and decides here; {@link SharedChatThrottle} keeps
 * it in PostgreSQL for every instance that speaks as the bot, where the function {@code telegram.reserve_send}
 * (migration V3) applies this same rule in one statement: a change here is a change there.
 *
 * <p>A chat's state is its next free moment. The bot's is a count of sends per {@link #WINDOW} of the clock: a window
 * takes at most {@link #perWindow()} sends (a tenth of the allowance a second), and a send goes in the first window
 * with room at or after its chat's free moment. So a busy chat waits for itself only: it never moves the moment other
 * chats may be sent to (decision 0016), and the bot never sends more than its allowance in any second, nor more than a
 * tenth of it at once.
 *
 * @param perChat         the spacing of two sends to one chat
 * @param globalPerSecond the bot's sends per second, all chats together
 * @param maxWait         the furthest a slot may be reserved ahead; beyond, nothing is reserved and the wait is told
 */
public record SendSpacing(Duration perChat, int globalPerSecond, Duration maxWait) {

    /** The bot's sends are counted per window of this length on the clock (epoch-aligned). */
    public static final Duration WINDOW = Duration.ofMillis(100);

    public SendSpacing {
        if (perChat.isNegative() || maxWait.isNegative() || globalPerSecond < 1) {
            throw new IllegalArgumentException(
                    "Send spacing needs a non-negative interval and wait, and a rate of 1 or more");
        }
    }

    /** Sends the bot may make in one {@link #WINDOW}: a tenth of its allowance a second, at least one. */
    public int perWindow() {
        return Math.max(1, globalPerSecond / 10);
    }

    /** The window {@code moment} falls in. */
    public static long window(Instant moment) {
        return Math.floorDiv(moment.toEpochMilli(), WINDOW.toMillis());
    }

    /** The first moment of {@code window}. */
    public static Instant windowStart(long window) {
        return Instant.ofEpochMilli(window * WINDOW.toMillis());
    }

    /** The earliest a send to a chat may go: now, or the chat's next free moment if that is later. */
    public static Instant chatFree(Instant now, Instant chatNext) {
        return max(now, chatNext);
    }

    /**
     * How long from {@code now} until the chat is free (zero when it is), negated when longer than {@code maxWait}:
     * the answer of {@link SendThrottle#untilFree}.
     */
    static Duration untilFree(Instant now, Instant chatNext, Duration maxWait) {
        Duration wait = chatNext.isAfter(now) ? Duration.between(now, chatNext) : Duration.ZERO;
        return wait.compareTo(maxWait) > 0 ? wait.negated() : wait;
    }

    /**
     * Reserves the chat's send in {@code window}, a window with room at or after {@link #chatFree} (the caller counts
     * the windows: in memory or in the database).
     *
     * @param now      the present, on the clock the state was written with
     * @param chatNext the chat's next free moment ({@link Instant#EPOCH} for a chat never seen)
     * @param window   the window the send is counted in
     * @return the wait and the chat's state after it; a refusal (negative wait, the slot further than {@code maxWait})
     *     reserves nothing
     */
    public Reservation reserve(Instant now, Instant chatNext, long window) {
        Instant slot = max(chatFree(now, chatNext), windowStart(window));
        Duration wait = Duration.between(now, slot);
        if (wait.compareTo(maxWait) > 0) {
            return new Reservation(wait.negated(), chatNext);
        }
        return new Reservation(wait, slot.plus(perChat));
    }

    /** A chat Telegram answered 429 for: its next free moment once {@code retryAfter} has passed. */
    public static Instant backOff(Instant now, Instant chatNext, Duration retryAfter) {
        return max(chatNext, now.plus(retryAfter));
    }

    /**
     * One reservation's outcome.
     *
     * @param delay    how long to wait before sending (zero = now), or the negative of the wait needed when the slot is
     *                 further away than {@code maxWait}: nothing is reserved then
     * @param chatNext the chat's next free moment after it
     */
    public record Reservation(Duration delay, Instant chatNext) {
        public boolean reserved() {
            return !delay.isNegative();
        }
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
