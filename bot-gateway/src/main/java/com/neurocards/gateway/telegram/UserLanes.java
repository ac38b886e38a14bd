package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One lane of replies per user: a user's replies go out one after another, in the order of their updates, and
 * different users' lanes run side by side. A user whose chat Telegram throttles (a 429 waited out in place) holds up
 * only their own lane.
 */
final class UserLanes {

    private static final Logger LOG = Logger.getLogger(UserLanes.class);

    private final ExecutorService threads;
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    UserLanes(int threads) {
        this.threads = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread t = new Thread(runnable, "telegram-reply-lane");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code replies} behind the user's earlier ones; the future completes when they are sent. */
    CompletableFuture<Void> submit(long userId, Replies replies) {
        if (replies == Replies.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> tail = tails.compute(
                userId, (id, previous) -> (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                        .thenRunAsync(() -> send(id, replies), threads));
        // Forget an idle user's lane (only if nothing was queued behind in the meantime).
        tail.whenComplete((ignored, failure) -> tails.remove(userId, tail));
        return tail;
    }

    /** The users with replies still to send. */
    Set<Long> busy() {
        return Set.copyOf(tails.keySet());
    }

    void shutdown(long waitMillis) {
        threads.shutdown();
        try {
            threads.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(long userId, Replies replies) {
        try {
            replies.send();
        } catch (RuntimeException e) {
            // The update is committed; a reply that could not be sent is not a reason to stop the lane.
            LOG.warnf("Replies to user %d failed: %s", userId, Redaction.describe(e));
        }
    }
}
