package com.neurocards.emulators.telegram;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Scripted trouble: the next N calls of a method (or of any method, "*") fail with a given error and/or are
 * answered late. Checked after the token and method are known, before the method runs, so a failed call has no effect.
 */
final class Faults {

    /** error may be null for a pure delay. */
    record Fault(BotApiError error, Duration delay) {}

    static final String ANY_METHOD = "*";

    private final Map<String, Deque<Fault>> planned = new HashMap<>();

    synchronized void add(String method, int times, Fault fault) {
        Deque<Fault> queue = planned.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    /** The fault for this call, consumed; null when the call should run normally. */
    synchronized Fault take(String method) {
        Deque<Fault> queue = planned.get(method.toLowerCase(Locale.ROOT));
        if (queue == null || queue.isEmpty()) {
            queue = planned.get(ANY_METHOD);
        }
        return queue == null ? null : queue.poll();
    }

    synchronized void clear() {
        planned.clear();
    }
}
