package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replies waiting for their chat's turn (a message a second per chat, a 429) hold no thread: every user's lane starts
 * at once however many are waiting, and one user's replies still go out in order.
 */
class UserLanesTest {

    /** Replies that start when subscribed to and finish only when the test says so. */
    private static final class Held implements Replies {
        private final String name;
        private final List<String> started;
        private final Map<String, UniEmitter<? super Void>> waiting;

        Held(String name, List<String> started, Map<String, UniEmitter<? super Void>> waiting) {
            this.name = name;
            this.started = started;
            this.waiting = waiting;
        }

        @Override
        public Uni<Void> send() {
            return Uni.createFrom().emitter(emitter -> {
                started.add(name);
                waiting.put(name, emitter);
            });
        }
    }

    @Test
    void aThousandUsersWaitingForTheirChatsAllStartWithoutAThreadEach() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        Map<String, UniEmitter<? super Void>> waiting = new ConcurrentHashMap<>();
        UserLanes lanes = new UserLanes();
        int threadsBefore = Thread.activeCount();

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (long user = 1; user <= 1_000; user++) {
            sent.add(lanes.submit(user, new Held("user-" + user, started, waiting)));
        }

        // A lane that blocked a worker while its chat waited would leave the users past the pool's size unstarted.
        assertThat(started).hasSize(1_000);
        assertThat(sent).noneMatch(CompletableFuture::isDone);
        assertThat(lanes.busy()).hasSize(1_000);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);

        waiting.values().forEach(emitter -> emitter.complete(null));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(lanes.busy()).isEmpty();
    }

    @Test
    void oneUsersRepliesGoOutInTheOrderOfTheirUpdates() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        Map<String, UniEmitter<? super Void>> waiting = new ConcurrentHashMap<>();
        UserLanes lanes = new UserLanes();

        CompletableFuture<Void> first = lanes.submit(7, new Held("first", started, waiting));
        CompletableFuture<Void> second = lanes.submit(7, new Held("second", started, waiting));
        CompletableFuture<Void> other = lanes.submit(8, new Held("other user", started, waiting));

        assertThat(started).containsExactly("first", "other user");
        waiting.get("first").complete(null);
        first.get(10, TimeUnit.SECONDS);
        assertThat(started).containsExactly("first", "other user", "second");
        waiting.get("second").complete(null);
        second.get(10, TimeUnit.SECONDS);
        assertThat(other).isNotDone();
    }

    @Test
    void aFailedReplyDoesNotStopTheLane() throws Exception {
        UserLanes lanes = new UserLanes();
        List<String> sent = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> failed =
                lanes.submit(9, () -> Uni.createFrom().failure(new IllegalStateException("balance lookup timed out")));
        CompletableFuture<Void> thrown = lanes.submit(9, () -> {
            throw new IllegalStateException("a bug building the reply");
        });
        CompletableFuture<Void> next =
                lanes.submit(9, () -> Uni.createFrom().voidItem().invoke(() -> sent.add("next")));

        failed.get(10, TimeUnit.SECONDS);
        thrown.get(10, TimeUnit.SECONDS);
        next.get(10, TimeUnit.SECONDS);
        assertThat(sent).containsExactly("next");
    }
}
