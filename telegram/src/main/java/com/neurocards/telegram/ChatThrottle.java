package com.neurocards.telegram;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spaces this process's Telegram sends by {@link SendSpacing}, the state in memory. Alone it holds the limits only for
 * one instance; {@link SharedChatThrottle} holds them for the deployment and falls back to this one while the
 * database does not answer. A send either gets a slot within {@code maxWait} (and waits that long) or is told how long
 * to wait, which the caller's {@link SendPolicy} deals with.
 */
public class ChatThrottle implements SendThrottle {

    private final SendSpacing spacing;
    private final Clock clock;
    private final Map<Long, Instant> nextPerChat = new HashMap<>();
    /** Sends counted per window of the clock ({@link SendSpacing#WINDOW}), from the present window on. */
    private final TreeMap<Long, Integer> sentPerWindow = new TreeMap<>();

    public ChatThrottle(SendSpacing spacing, Clock clock) {
        this.spacing = spacing;
        this.clock = clock;
    }

    public ChatThrottle(Duration perChat, int globalPerSecond, Duration maxWait, Clock clock) {
        this(new SendSpacing(perChat, globalPerSecond, maxWait), clock);
    }

    @Override
    public Uni<Duration> reserve(long chatId) {
        return Uni.createFrom().item(() -> reserveNow(chatId));
    }

    @Override
    public Uni<Void> backOff(long chatId, Duration retryAfter) {
        return Uni.createFrom().item(() -> {
            backOffNow(chatId, retryAfter);
            return null;
        });
    }

    @Override
    public Uni<Duration> untilFree(long chatId) {
        return Uni.createFrom().item(() -> untilFreeNow(chatId));
    }

    /** {@link #untilFree}, at once. */
    public synchronized Duration untilFreeNow(long chatId) {
        Instant now = clock.instant();
        return SendSpacing.untilFree(now, nextPerChat.getOrDefault(chatId, Instant.EPOCH), spacing.maxWait());
    }

    /** {@link #reserve}, at once: the state is in memory. */
    public synchronized Duration reserveNow(long chatId) {
        Instant now = clock.instant();
        sentPerWindow.headMap(SendSpacing.window(now)).clear();
        Instant chatNext = nextPerChat.getOrDefault(chatId, Instant.EPOCH);
        long window = SendSpacing.window(SendSpacing.chatFree(now, chatNext));
        Instant furthest = now.plus(spacing.maxWait());
        while (sentPerWindow.getOrDefault(window, 0) >= spacing.perWindow()
                && !SendSpacing.windowStart(window).isAfter(furthest)) {
            window++; // full: the next window (past maxWait, reserve() refuses)
        }
        SendSpacing.Reservation reservation = spacing.reserve(now, chatNext, window);
        if (reservation.reserved()) {
            nextPerChat.put(chatId, reservation.chatNext());
            sentPerWindow.merge(window, 1, Integer::sum);
            if (nextPerChat.size() > 10_000) {
                tidy(now);
            }
        }
        return reservation.delay();
    }

    /** {@link #backOff}, at once. */
    public synchronized void backOffNow(long chatId, Duration retryAfter) {
        Instant now = clock.instant();
        nextPerChat.put(chatId, SendSpacing.backOff(now, nextPerChat.getOrDefault(chatId, Instant.EPOCH), retryAfter));
    }

    private void tidy(Instant now) {
        for (Iterator<Map.Entry<Long, Instant>> it = nextPerChat.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
    }
}
