package com.neurocards.emulators.telegram;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Scripted trouble: the next N calls of a method (or of any method, "*") fail with a given error and/or are
 * answered late, or run and lose their answer. Checked after the token and method are known, before the method runs,
 * so a failed call has no effect; a call whose answer is dropped has its full effect (the message is in the chat) and
 * the connection is then closed without a response, as when Telegram's answer is lost on the way back.
 */
final class Faults {

    /** error may be null for a pure delay; dropAnswer: the call runs, and its answer never leaves. */
    record Fault(BotApiError error, Duration delay, boolean dropAnswer) {

        Fault(BotApiError error, Duration delay) {
            this(error, delay, false);
        }
    }

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
