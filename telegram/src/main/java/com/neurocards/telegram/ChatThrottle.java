package com.neurocards.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Spaces this instance's Telegram sends: about one per second per chat and {@code globalPerSecond} for the whole bot
 * (docs/outside-services.md#telegram-rate-limits: a faster bot gets 429s). A send either gets a slot within {@code maxWait} (and waits that
 * long) or is told how long to wait, which the caller's {@link SendPolicy} hands back (the pipeline: a paced message
 * that waits in a delay tier).
 */
public class ChatThrottle {

    private final Duration perChat;
    private final Duration globalSpacing;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<Long, Instant> nextPerChat = new HashMap<>();
    private Instant nextGlobal = Instant.EPOCH;

    public ChatThrottle(Duration perChat, int globalPerSecond, Duration maxWait, Clock clock) {
        this.perChat = perChat;
        this.globalSpacing = Duration.ofNanos(1_000_000_000L / Math.max(1, globalPerSecond));
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /**
     * Reserves the next slot for a message to {@code chatId}.
     *
     * @return how long to wait before sending (zero = now), or a negative of the wait needed when the slot is further
     * away than {@code maxWait} — nothing is reserved then
     */
    public synchronized Duration reserve(long chatId) {
        Instant now = clock.instant();
        Instant chatSlot = max(now, nextPerChat.getOrDefault(chatId, Instant.EPOCH));
        Instant slot = max(chatSlot, nextGlobal);
        Duration wait = Duration.between(now, slot);
        if (wait.compareTo(maxWait) > 0) {
            return wait.negated();
        }
        nextPerChat.put(chatId, slot.plus(perChat));
        nextGlobal = max(nextGlobal, slot).plus(globalSpacing);
        if (nextPerChat.size() > 10_000) {
            tidy(now);
        }
        return wait;
    }

    /** Telegram answered 429 for this chat: nothing goes there before {@code retryAfter} has passed. */
    public synchronized void backOff(long chatId, Duration retryAfter) {
        Instant until = clock.instant().plus(retryAfter);
        nextPerChat.merge(chatId, until, ChatThrottle::max);
    }

    private void tidy(Instant now) {
        for (Iterator<Map.Entry<Long, Instant>> it = nextPerChat.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
