package com.neurocards.gateway.telegram;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The Telegram calls an update leaves to make once its effects are committed (replies, the answer to a pressed
 * button). Never retried with the update: a redelivered update is a no-op, so a reply lost in a crash stays lost, as
 * it always did; this is what lets one user's slow replies (429 waits) run apart from everyone else's updates.
 */
@FunctionalInterface
public interface Replies {

    Replies NONE = () -> Uni.createFrom().voidItem();

    /**
     * The calls, made when the returned {@link Uni} is subscribed to, without holding a thread while they wait (a
     * chat's turn, Telegram's answer). Telegram's refusals are logged by the sender, not failed; a lookup a reply
     * needs that could not be made fails it.
     */
    Uni<Void> send();

    /** Calls that block (the admins' notices), made on a worker thread. */
    static Replies blocking(Runnable calls) {
        return () -> Uni.createFrom().voidItem().invoke(calls).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    default Replies then(Replies next) {
        return () -> send().chain(next::send);
    }
}
