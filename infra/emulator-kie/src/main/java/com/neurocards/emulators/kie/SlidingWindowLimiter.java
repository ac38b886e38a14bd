package com.neurocards.emulators.kie;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * KIE's create limit: at most {@code limit} accepted requests in any {@code window} per bucket. A request over the
 * limit is refused and not counted — KIE drops it rather than queueing it (docs/outside-services.md#kie-rate-limit).
 */
final class SlidingWindowLimiter {

    private final Clock clock;
    private volatile int limit;
    private volatile Duration window;
    private final Map<String, Deque<Instant>> accepted = new HashMap<>();

    SlidingWindowLimiter(Clock clock, int limit, Duration window) {
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    synchronized boolean tryAcquire(String bucket) {
        Instant now = clock.instant();
        Deque<Instant> times = accepted.computeIfAbsent(bucket, b -> new ArrayDeque<>());
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.pollFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    synchronized void configure(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }

    synchronized void reset() {
        accepted.clear();
    }
}
