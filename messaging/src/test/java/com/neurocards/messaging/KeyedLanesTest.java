package com.neurocards.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {

    private final KeyedLanes<Long> lanes = new KeyedLanes<>();
    private final List<String> started = new CopyOnWriteArrayList<>();

    /** Work that records its start and ends when {@code end} completes. */
    private Uni<String> work(String name, CompletableFuture<String> end) {
        return Uni.createFrom().deferred(() -> {
            started.add(name);
            return Uni.createFrom().completionStage(end);
        });
    }

    @Test
    void oneKeysWorkRunsOneAtATimeInOrder() throws Exception {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        CompletableFuture<String> secondEnd = new CompletableFuture<>();
        CompletableFuture<String> first =
                lanes.run(7L, () -> work("first", firstEnd)).subscribeAsCompletionStage();
        CompletableFuture<String> second =
                lanes.run(7L, () -> work("second", secondEnd)).subscribeAsCompletionStage();

        assertThat(started).containsExactly("first");
        assertThat(lanes.busy()).containsExactly(7L);

        firstEnd.complete("one");
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(started).containsExactly("first", "second");
        assertThat(second).isNotDone();

        secondEnd.complete("two");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("two");
        assertThat(lanes.busy()).isEmpty(); // an idle key is forgotten
        assertThat(lanes.ended()).isDone();
    }

    @Test
    void differentKeysDoNotWaitForEachOther() {
        CompletableFuture<String> never = new CompletableFuture<>();
        lanes.run(1L, () -> work("chat 1", never)).subscribeAsCompletionStage();
        lanes.run(2L, () -> work("chat 2", never)).subscribeAsCompletionStage();

        assertThat(started).containsExactly("chat 1", "chat 2");
        assertThat(lanes.busy()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(lanes.ended()).isNotDone();
    }

    @Test
    void aFailureReachesItsOwnCallerAndTheLaneGoesOn() throws Exception {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> failed =
                lanes.run(7L, () -> work("failing", failing)).subscribeAsCompletionStage();
        CompletableFuture<String> next = lanes.run(7L, () -> work("next", CompletableFuture.completedFuture("ok")))
                .subscribeAsCompletionStage();

        failing.completeExceptionally(new IllegalStateException("Telegram said no"));

        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("Telegram said no");
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(started).containsExactly("failing", "next");
    }

    @Test
    void workCancelledBeforeItsTurnNeitherRunsNorLetsTheNextOvertake() throws Exception {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        lanes.run(7L, () -> work("first", firstEnd)).subscribeAsCompletionStage();
        Cancellable cancelled = lanes.run(7L, () -> work("cancelled", new CompletableFuture<>()))
                .subscribe()
                .with(item -> {}, failure -> {});
        CompletableFuture<String> third = lanes.run(7L, () -> work("third", CompletableFuture.completedFuture("3")))
                .subscribeAsCompletionStage();

        cancelled.cancel();
        assertThat(started).containsExactly("first"); // the third still waits for the first

        firstEnd.complete("1");
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("3");
        assertThat(started).containsExactly("first", "third");
    }

    @Test
    void theWorkIsAssembledWhenSubscribedAndRunOnlyInItsTurn() {
        List<String> assembled = new CopyOnWriteArrayList<>();
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        lanes.run(7L, () -> work("first", firstEnd)).subscribeAsCompletionStage();
        Uni<String> second = lanes.run(7L, () -> {
            assembled.add("second");
            return work("second", CompletableFuture.completedFuture("2"));
        });
        assertThat(assembled).isEmpty(); // nothing happens before subscription

        CompletableFuture<String> running = second.subscribeAsCompletionStage();
        assertThat(assembled).containsExactly("second");
        assertThat(started).containsExactly("first");

        firstEnd.complete("1");
        assertThat(running.toCompletableFuture().join()).isEqualTo("2");
        assertThat(started).containsExactly("first", "second");
    }
}
