package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender's waits run on the application's timer, which in Quarkus is Vert.x's: it refuses any delay under a
 * millisecond. A throttle or retry wait that small must send at once, not fail the send.
 */
class BotSenderWaitTest {

    /** Refuses delays under 1 ms, as Vert.x's timer does ("Cannot schedule a timer with delay < 1 ms"). */
    static final class VertxLikeTimer extends ScheduledThreadPoolExecutor {
        VertxLikeTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (unit.toMillis(delay) < 1) {
                throw new IllegalArgumentException("Cannot schedule a timer with delay < 1 ms");
            }
            return super.schedule(command, delay, unit);
        }
    }

    private final VertxLikeTimer timer = new VertxLikeTimer();

    @BeforeEach
    void useAVertxLikeTimer() {
        Infrastructure.setDefaultExecutor(timer);
    }

    @AfterEach
    void restoreTheDefaultTimer() {
        Infrastructure.setDefaultExecutor();
        timer.shutdownNow();
    }

    @Test
    void aWaitUnderAMillisecondSendsAtOnce() {
        String sent = BotSender.after(
                        Duration.ofNanos(400_000), () -> Uni.createFrom().item("sent"))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(sent).isEqualTo("sent");
    }

    @Test
    void aLongerWaitWaitsOnTheTimer() {
        long started = System.nanoTime();
        String sent = BotSender.after(
                        Duration.ofMillis(50), () -> Uni.createFrom().item("sent"))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(sent).isEqualTo("sent");
        assertThat(System.nanoTime() - started)
                .isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
    }
}
