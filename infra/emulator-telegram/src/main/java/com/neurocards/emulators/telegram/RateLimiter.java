package com.neurocards.emulators.telegram;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram's flood control for sending and editing: a token bucket per chat (about 1 message/s with a short burst)
 * and one for the whole bot (about 30 messages/s). A call takes a token from both or from neither; when either
 * is empty the call is refused with the whole seconds until it would pass (retry_after, at least 1).
 * Time comes from the emulator's clock, so a test can move past the window instead of sleeping.
 */
final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long atMillis;

        Bucket(double tokens, long atMillis) {
            this.tokens = tokens;
            this.atMillis = atMillis;
        }
    }

    private final Limits.Rate perChat;
    private final Limits.Rate global;
    private final Clock clock;
    private final Map<Long, Bucket> chats = new HashMap<>();
    private Bucket bot;

    RateLimiter(Limits limits, Clock clock) {
        this.perChat = limits.perChat();
        this.global = limits.global();
        this.clock = clock;
    }

    /** Takes a token for a message to {@code chatId}, or throws 429 with retry_after. */
    synchronized void acquire(long chatId) {
        long now = clock.millis();
        double chatWait = 0;
        Bucket chat = null;
        if (!perChat.isUnlimited()) {
            chat = chats.computeIfAbsent(chatId, id -> new Bucket(perChat.burst(), now));
            chatWait = waitMillis(chat, perChat, now);
        }
        double globalWait = 0;
        if (!global.isUnlimited()) {
            if (bot == null) {
                bot = new Bucket(global.burst(), now);
            }
            globalWait = waitMillis(bot, global, now);
        }
        double wait = Math.max(chatWait, globalWait);
        if (wait > 0) {
            throw BotApiError.tooManyRequests((int) Math.max(1, Math.ceil(wait / 1000.0)))
                    .exception();
        }
        if (chat != null) {
            chat.tokens -= 1;
        }
        if (bot != null && !global.isUnlimited()) {
            bot.tokens -= 1;
        }
    }

    /** Refills the bucket to now; 0 when a token is there, else how long until there is one. */
    private static double waitMillis(Bucket b, Limits.Rate rate, long now) {
        double interval = rate.interval().toNanos() / 1_000_000.0;
        b.tokens = Math.min(rate.burst(), b.tokens + (now - b.atMillis) / interval);
        b.atMillis = now;
        return b.tokens >= 1 ? 0 : (1 - b.tokens) * interval;
    }

    synchronized void reset() {
        chats.clear();
        bot = null;
    }
}
