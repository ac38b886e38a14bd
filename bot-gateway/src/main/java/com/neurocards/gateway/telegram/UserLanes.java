package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.KeyedLanes;
import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One lane of replies per user: a user's replies go out one after another, in the order of their updates, and
 * different users' lanes run side by side. A user whose chat is waiting for its turn (Telegram's pace of a message a
 * second per chat, or a 429 waited out in place) holds up only their own lane, and no thread: a lane is a chain of
 * reactive calls, not a worker ({@link KeyedLanes}).
 */
final class UserLanes {

    private static final Logger LOG = Logger.getLogger(UserLanes.class);

    private final KeyedLanes<Long> lanes = new KeyedLanes<>();

    /** Queues {@code replies} behind the user's earlier ones; the future completes when they are sent. */
    CompletableFuture<Void> submit(long userId, Replies replies) {
        if (replies == Replies.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        // deferred: the replies start (building messages, making the first calls) only when the lane's turn comes
        return lanes.run(userId, () -> Uni.createFrom().deferred(() -> send(userId, replies)))
                .subscribeAsCompletionStage();
    }

    /** The users with replies still to send. */
    Set<Long> busy() {
        return lanes.busy();
    }

    /** Gives the replies still going out up to {@code waitMillis} to finish. */
    void shutdown(long waitMillis) {
        try {
            lanes.ended().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.infof(
                    "Stopping with replies to %d users still going out",
                    lanes.busy().size());
        }
    }

    private static Uni<Void> send(long userId, Replies replies) {
        try {
            return replies.send().onFailure().recoverWithItem(failure -> {
                failed(userId, failure);
                return null;
            });
        } catch (RuntimeException e) {
            failed(userId, e);
            return Uni.createFrom().voidItem();
        }
    }

    /** The update is committed; a reply that could not be sent is not a reason to stop the lane. */
    private static void failed(long userId, Throwable failure) {
        LOG.warnf("Replies to user %d failed: %s", userId, Redaction.describe(failure));
    }
}
