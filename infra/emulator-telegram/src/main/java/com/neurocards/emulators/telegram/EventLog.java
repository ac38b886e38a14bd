package com.neurocards.emulators.telegram;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered journal of events with a monotonic cursor (seq), and long-poll waits on it.
 * The cursor keeps counting across {@link #clear()} so a reader never sees an old number again.
 */
final class EventLog {

    private record Waiter(long since, Long chatId, Promise<List<EmulatorEvent>> promise, Context context, long timer) {}

    private final Clock clock;
    private final List<EmulatorEvent> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long seq;

    EventLog(Clock clock) {
        this.clock = clock;
    }

    void append(String type, long chatId, Integer messageId, JsonObject data) {
        List<Waiter> ready;
        synchronized (this) {
            events.add(new EmulatorEvent(
                    ++seq,
                    type,
                    chatId,
                    messageId,
                    clock.instant().getEpochSecond(),
                    data == null ? null : data.copy()));
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        ready.forEach(this::wake);
    }

    synchronized List<EmulatorEvent> since(long cursor, Long chatId) {
        return events.stream()
                .filter(e -> e.seq() > cursor && (chatId == null || e.chatId() == chatId))
                .toList();
    }

    synchronized long cursor() {
        return seq;
    }

    /** Events after {@code cursor}; if none yet, waits up to {@code timeoutMillis} for the first. */
    Future<List<EmulatorEvent>> await(Vertx vertx, long cursor, Long chatId, long timeoutMillis) {
        List<EmulatorEvent> now = since(cursor, chatId);
        if (!now.isEmpty() || timeoutMillis <= 0) {
            return Future.succeededFuture(now);
        }
        Promise<List<EmulatorEvent>> promise = Promise.promise();
        Context context = vertx.getOrCreateContext();
        synchronized (this) {
            long timer = vertx.setTimer(timeoutMillis, t -> {
                synchronized (this) {
                    waiters.removeIf(w -> w.promise() == promise);
                }
                promise.tryComplete(since(cursor, chatId));
            });
            waiters.add(new Waiter(cursor, chatId, promise, context, timer));
        }
        return promise.future();
    }

    private void wake(Waiter w) {
        List<EmulatorEvent> found = since(w.since(), w.chatId());
        if (found.isEmpty()) {
            synchronized (this) {
                waiters.add(w); // an event for another chat: keep waiting
            }
            return;
        }
        w.context().owner().cancelTimer(w.timer());
        w.context().runOnContext(v -> w.promise().tryComplete(found));
    }

    synchronized void clear() {
        events.clear();
    }
}
