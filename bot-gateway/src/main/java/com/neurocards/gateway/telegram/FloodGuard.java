package com.neurocards.gateway.telegram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A per-user limit on messages and button presses: a token bucket of {@code burst} that refills at {@code perMinute}.
 * Past it, an update is ignored; the first one ignored gets one notice, the rest silence, until the bucket has room
 * again. Payments are never limited (the caller does not ask for them).
 */
public final class FloodGuard {

    /** What to do with one message or press. */
    public enum Verdict {
        /** Handle it. */
        ALLOW,
        /** Ignore it and tell the user once that they are going too fast. */
        NOTICE,
        /** Ignore it silently (the notice was given). */
        DROP
    }

    /** Above this many users tracked, buckets that are full again are forgotten. */
    private static final int TRACKED_USERS_BEFORE_CLEANUP = 10_000;

    private final boolean enabled;
    private final double burst;
    private final double tokensPerNano;
    private final LongSupplier nanos;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    public FloodGuard(boolean enabled, int burst, int perMinute, LongSupplier nanos) {
        if (enabled && (burst < 1 || perMinute < 1)) {
            throw new IllegalArgumentException("The flood limit needs a burst and a rate of at least 1, not " + burst
                    + " and " + perMinute + " a minute");
        }
        this.enabled = enabled;
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.nanos = nanos;
    }

    public Verdict check(long userId) {
        if (!enabled) {
            return Verdict.ALLOW;
        }
        long now = nanos.getAsLong();
        if (buckets.size() > TRACKED_USERS_BEFORE_CLEANUP) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        Bucket bucket = buckets.computeIfAbsent(userId, id -> new Bucket(burst, now));
        return bucket.take(now);
    }

    /** Whether the user is being ignored right now (was told, and the limit has not cleared yet). */
    public boolean limited(long userId) {
        Bucket bucket = enabled ? buckets.get(userId) : null;
        return bucket != null && bucket.limited(nanos.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long at;
        private boolean noticed;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized Verdict take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                // It cleared: the next time the user floods, they are told again.
                noticed = false;
                return Verdict.ALLOW;
            }
            if (noticed) {
                return Verdict.DROP;
            }
            noticed = true;
            return Verdict.NOTICE;
        }

        synchronized boolean limited(long now) {
            refill(now);
            return noticed && tokens < 1;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - at) * tokensPerNano);
            at = now;
        }
    }
}
