package com.neurocards.messaging;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One lane per key: work given for a key starts only once the key's earlier work has ended (either way), in the order
 * it was subscribed; work for different keys runs side by side. A lane is a chain of futures, not a thread: work
 * waiting for its turn holds no thread and nothing else (no database connection, no lock).
 *
 * <p>For work that would otherwise queue inside the database: two transactions of one Telegram chat both wait for
 * the chat's pace of a message a second, and the second waits for the first's row lock holding a pooled connection
 * all the while, which the stages of every other chat then lack.
 */
public final class KeyedLanes<K> {

    private final Map<K, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * {@code work} for {@code key}, run when the key's earlier work has ended. The work's Uni is assembled at
     * subscription (so it carries the subscriber's context) and subscribed to when its turn comes; its own item or
     * failure is what the returned Uni emits. Cancelling it ends its turn, and the lane goes on.
     */
    public <T> Uni<T> run(K key, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Uni<T> job = work.get();
            CompletableFuture<Void> turn = new CompletableFuture<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, ended);
            if (previous == null) {
                turn.complete(null);
            } else {
                previous.whenComplete((ignored, failure) -> turn.complete(null));
            }
            return Uni.createFrom()
                    .completionStage(turn)
                    .chain(ignored -> job)
                    .onTermination()
                    .invoke(() -> {
                        // forget an idle key's lane, unless work was queued behind in the meantime
                        tails.remove(key, ended);
                        // cancelled before its turn: the work behind still waits for the work ahead
                        if (previous == null) {
                            ended.complete(null);
                        } else {
                            previous.whenComplete((ignored, failure) -> ended.complete(null));
                        }
                    });
        });
    }

    /** The keys with work running or waiting. */
    public Set<K> busy() {
        return Set.copyOf(tails.keySet());
    }

    /** Completes once the work running or waiting now has ended (work given later is not waited for). */
    public CompletableFuture<Void> ended() {
        return CompletableFuture.allOf(tails.values().toArray(CompletableFuture[]::new));
    }
}
