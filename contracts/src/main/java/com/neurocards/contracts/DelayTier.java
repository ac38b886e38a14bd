package com.neurocards.contracts;

import java.time.Duration;

/**
 * Fixed waits a message can take before it comes back. One queue per tier with a queue-level TTL, so every message
 * in a tier expires in arrival order and a long wait never holds back a short one (they are in different queues).
 */
public enum DelayTier {
    SECONDS_5(Duration.ofSeconds(5)),
    SECONDS_15(Duration.ofSeconds(15)),
    SECONDS_30(Duration.ofSeconds(30)),
    SECONDS_60(Duration.ofSeconds(60));

    private final Duration delay;

    DelayTier(Duration delay) {
        this.delay = delay;
    }

    public Duration delay() {
        return delay;
    }

    /** The header value and queue-name suffix: {@code 15s}. */
    public String label() {
        return delay.toSeconds() + "s";
    }

    /** The queue messages of this tier wait in: {@code neurocards.delay.15s}. */
    public String queueName() {
        return Topology.DELAY_EXCHANGE + "." + label();
    }

    /** The shortest tier that waits at least {@code wait}; the longest tier when none does. */
    public static DelayTier atLeast(Duration wait) {
        for (DelayTier tier : values()) {
            if (tier.delay.compareTo(wait) >= 0) {
                return tier;
            }
        }
        return longest();
    }

    public static DelayTier longest() {
        return values()[values().length - 1];
    }

    /**
     * The wait before retry number {@code attempt} (1 = the first retry): 5 s, 15 s, 30 s, then 60 s for every
     * later one. Growing waits give a struggling provider room without making a user wait long for a blip.
     */
    public static DelayTier forRetry(int attempt) {
        int index = Math.max(0, Math.min(attempt - 1, values().length - 1));
        return values()[index];
    }
}
