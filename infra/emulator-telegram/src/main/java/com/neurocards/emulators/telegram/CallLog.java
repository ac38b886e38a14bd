package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Every Bot API call received, in order, for assertions. Status is filled in when the answer goes out. */
final class CallLog {

    private final Clock clock;
    private final List<RecordedCall> calls = new ArrayList<>();
    private long seq;

    CallLog(Clock clock) {
        this.clock = clock;
    }

    synchronized long record(String method, JsonObject params) {
        calls.add(
                new RecordedCall(++seq, method, params, clock.instant().getEpochSecond(), 0, null, System.nanoTime()));
        return seq;
    }

    synchronized void answered(long callSeq, int status, String description) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            RecordedCall c = calls.get(i);
            if (c.seq() == callSeq) {
                calls.set(
                        i,
                        new RecordedCall(c.seq(), c.method(), c.params(), c.time(), status, description, c.nanoTime()));
                return;
            }
        }
    }

    synchronized List<RecordedCall> all() {
        return List.copyOf(calls);
    }

    synchronized List<RecordedCall> of(String method) {
        return calls.stream().filter(c -> c.method().equalsIgnoreCase(method)).toList();
    }

    synchronized List<RecordedCall> since(long cursor) {
        return calls.stream().filter(c -> c.seq() > cursor).toList();
    }

    synchronized void clear() {
        calls.clear();
    }
}
