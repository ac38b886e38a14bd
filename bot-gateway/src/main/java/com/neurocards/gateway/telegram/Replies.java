package com.neurocards.gateway.telegram;

/**
 * The Telegram calls an update leaves to make once its effects are committed (replies, the answer to a pressed
 * button). Never retried with the update: a redelivered update is a no-op, so a reply lost in a crash stays lost, as
 * it always did; this is what lets one user's slow replies (429 waits) run apart from everyone else's updates.
 */
@FunctionalInterface
public interface Replies {

    Replies NONE = () -> {};

    /** Makes the calls; failures are logged by the sender, never thrown. */
    void send();

    default Replies then(Replies next) {
        return () -> {
            send();
            next.send();
        };
    }
}
