package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.TelegramConfig;
import com.neurocards.testing.LocalInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The polling lease between two gateways of one bot: while the polling one's database session lives, the other stands
 * by; when that session ends (the process died, the database dropped it), the other takes the lease, and the first
 * notices within {@link PollingLease#RECHECK} and stops polling rather than fetch beside it.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class PollingLeaseTest {

    @Inject
    PollingLease running;

    @Inject
    Pool pool;

    @Inject
    TelegramConfig telegram;

    @Test
    void whenThePollingSessionEndsTheStandbyTakesOverAndThePollerStandsBy() {
        await().atMost(Duration.ofSeconds(10)).until(running::held);
        PollingLease other = new PollingLease(pool, telegram, new SimpleMeterRegistry());
        try {
            assertThat(other.holdOrTake()).as("the lease is held").isFalse();

            int ended = endLeaseSession();
            assertThat(ended).isEqualTo(1);

            // pg_terminate_backend only signals the session: its locks go when its backend has exited
            await("the lease is free once its session ended")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(other::holdOrTake);
            await().atMost(PollingLease.RECHECK.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !running.held());
            assertThat(other.holdOrTake()).isTrue();
        } finally {
            other.release();
        }
        // the standby check gives it back to the service's own poller
        await().atMost(Duration.ofSeconds(15)).until(running::held);
    }

    /** Ends the database session that holds this bot's polling lease; returns how many sessions were ended. */
    private int endLeaseSession() {
        Row row = pool.preparedQuery("SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_locks"
                        + " WHERE locktype = 'advisory' AND classid::bigint = $1 AND granted")
                .execute(Tuple.of((long) PollingLease.LOCK_SPACE))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        return row.getLong("ended").intValue();
    }
}
