package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One lane of replies per user: a user's replies go out one after another, in the order of their updates, and
 * different users' lanes run side by side. A user whose chat is waiting for its turn (Telegram's pace of a message a
 * second per chat, or a 429 waited out in place) holds up only their own lane, and no thread: a lane is a chain of
 * reactive calls, not a worker.
 */
final class UserLanes {

    private static final Logger LOG = Logger.getLogger(UserLanes.class);

    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** Queues {@code replies} behind the user's earlier ones; the future completes when they are sent. */
    CompletableFuture<Void> submit(long userId, Replies replies) {
        if (replies == Replies.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        CompletableFuture<Void> tail = turn.thenCompose(ignored -> send(userId, replies));
        // The lane's new tail, swapped in atomically; the replies start when the previous tail is done, outside the
        // map's lock (starting them may build messages and make the first calls).
        CompletableFuture<Void> previous = tails.put(userId, tail);
        if (previous == null) {
            turn.complete(null);
        } else {
            previous.whenComplete((done, failure) -> turn.complete(null));
        }
        // Forget an idle user's lane (only if nothing was queued behind in the meantime).
        tail.whenComplete((ignored, failure) -> tails.remove(userId, tail));
        return tail;
    }

    /** The users with replies still to send. */
    Set<Long> busy() {
        return Set.copyOf(tails.keySet());
    }

    /** Gives the replies still going out up to {@code waitMillis} to finish. */
    void shutdown(long waitMillis) {
        try {
            CompletableFuture.allOf(tails.values().toArray(CompletableFuture[]::new))
                    .get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.infof("Stopping with replies to %d users still going out", tails.size());
        }
    }

    private static CompletionStage<Void> send(long userId, Replies replies) {
        try {
            return replies.send()
                    .onFailure()
                    .recoverWithItem(failure -> {
                        failed(userId, failure);
                        return null;
                    })
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            failed(userId, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The update is committed; a reply that could not be sent is not a reason to stop the lane. */
    private static void failed(long userId, Throwable failure) {
        LOG.warnf("Replies to user %d failed: %s", userId, Redaction.describe(failure));
    }
}
