package com.neurocards.billing;

import static com.neurocards.billing.InternalToken.internal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credits stay exact under contention, duplicate deliveries, and a billing service cut off between commit and ack. */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(InternalToken.class)
class LedgerUnderStressTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    BillingTestSupport billing;

    @BeforeEach
    void setUp() {
        billing = new BillingTestSupport(infra);
    }

    @Test
    void twoHundredConcurrentRequestsSpendExactlyTheTenCreditsAUserHas() throws Exception {
        long user = BillingTestSupport.newUser();
        List<GenerationRequested> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requests.add(BillingTestSupport.request(user, 1));
        }
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            for (GenerationRequested request : requests) {
                senders.submit(() -> billing.publish(Envelope.of(request)));
            }
        } finally {
            senders.shutdown();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesFor(user) == 200);

        List<GenerationFunded> funded = billing.heard(GenerationFunded.class).stream()
                .filter(f -> f.request().userId() == user)
                .toList();
        List<GenerationRejected> rejected = billing.heard(GenerationRejected.class).stream()
                .filter(r -> r.userId() == user)
                .toList();
        assertThat(funded).hasSize(10);
        assertThat(funded).allSatisfy(f -> assertThat(f.creditsDebited()).isEqualTo(1));
        assertThat(funded)
                .extracting(GenerationFunded::balanceAfter)
                .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        assertThat(rejected).hasSize(190).allSatisfy(r -> {
            assertThat(r.balance()).isZero();
            assertThat(r.needed()).isEqualTo(1);
        });
        Set<String> decided = new HashSet<>();
        funded.forEach(f -> decided.add(f.request().requestId()));
        rejected.forEach(r -> decided.add(r.requestId()));
        assertThat(decided).hasSize(200);
        assertThat(billing.balance(user)).isZero();
        assertThat(billing.sumOfEntries(user)).isZero();
        internal().get("/internal/conservation").then().statusCode(200).body("$", empty());
    }

    @Test
    void everyEventDeliveredTwiceWhileBillingKeepsLosingItsBrokerConnectionTakesEffectOnce() throws Exception {
        int users = 40;
        List<Long> userIds = new ArrayList<>();
        List<GenerationRequested> requests = new ArrayList<>();
        List<PaymentReceived> payments = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            long user = BillingTestSupport.newUser();
            userIds.add(user);
            requests.add(BillingTestSupport.request(user, 2));
            payments.add(BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 5));
        }

        AtomicInteger cuts = new AtomicInteger();
        try (Cutter ignored = cutConnectionsWhileRunning(cuts)) {
            // the work starts once billing has lost its connection, so it runs while billing is reconnecting and
            // keeps being cut (it could otherwise be done before the first cut)
            await().atMost(Duration.ofSeconds(30)).until(() -> cuts.get() > 0);
            for (int i = 0; i < users; i++) {
                twice(Envelope.of(requests.get(i)));
                twice(Envelope.of(payments.get(i)));
            }
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> fundedFor(userIds) == users && toppedUpFor(userIds) == users);

            List<GenerationFailed> failures =
                    requests.stream().map(r -> BillingTestSupport.failure(r, 1)).toList();
            failures.forEach(failure -> twice(Envelope.of(failure)));
            await().atMost(Duration.ofSeconds(90)).until(() -> refundedFor(userIds) == users);
        }

        assertThat(cuts.get())
                .as("billing's connection was cut while it worked")
                .isPositive();
        for (long user : userIds) {
            assertThat(billing.balance(user))
                    .as("user %d: 10 welcome - 2 debited + 1 refunded + 5 topped up", user)
                    .isEqualTo(14);
            assertThat(billing.entries(user, "DEBIT")).isEqualTo(1);
            assertThat(billing.entries(user, "REFUND")).isEqualTo(1);
            assertThat(billing.entries(user, "TOPUP")).isEqualTo(1);
        }
        // One outcome event per request. The outbox relay may send that same event again (same message id) when the
        // connection is cut between the broker's confirm and its mark: delivery is at least once, by design.
        Map<String, Set<UUID>> outcomeIdsByRequest = billing.heardEnvelopes(GenerationFunded.class).stream()
                .filter(e -> userIds.contains(
                        ((GenerationFunded) e.payload()).request().userId()))
                .collect(Collectors.groupingBy(
                        e -> ((GenerationFunded) e.payload()).request().requestId(),
                        Collectors.mapping(Envelope::id, Collectors.toSet())));
        assertThat(outcomeIdsByRequest).hasSize(users);
        assertThat(outcomeIdsByRequest.values())
                .allSatisfy(ids -> assertThat(ids).hasSize(1));
        internal().get("/internal/conservation").then().statusCode(200).body("$", empty());
    }

    private void twice(Envelope<?> event) {
        billing.publish(event);
        billing.publish(event);
    }

    private long outcomesFor(long user) {
        return billing.heard(GenerationFunded.class).stream()
                        .filter(f -> f.request().userId() == user)
                        .count()
                + billing.heard(GenerationRejected.class).stream()
                        .filter(r -> r.userId() == user)
                        .count();
    }

    private long fundedFor(List<Long> users) {
        return billing.heard(GenerationFunded.class).stream()
                .filter(f -> users.contains(f.request().userId()))
                .map(f -> f.request().requestId())
                .distinct()
                .count();
    }

    private long toppedUpFor(List<Long> users) {
        return billing.heard(CreditsAdded.class).stream()
                .filter(a -> users.contains(a.userId()))
                .map(CreditsAdded::reference)
                .distinct()
                .count();
    }

    private long refundedFor(List<Long> users) {
        return billing.heard(CreditsRefunded.class).stream()
                .filter(r -> users.contains(r.job().userId()))
                .map(r -> r.job().jobId())
                .distinct()
                .count();
    }

    /** Cuts billing's broker connection every 300 ms until closed, as a flaky network or a crashing broker would. */
    private Cutter cutConnectionsWhileRunning(AtomicInteger cuts) {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread cutter = new Thread(
                () -> {
                    while (running.get()) {
                        try {
                            Thread.sleep(300);
                            cuts.addAndGet(infra.vhost().closeConnections("billing"));
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            // the connection may be between close and recovery; try again next round
                        }
                    }
                },
                "connection-cutter");
        cutter.start();
        return () -> {
            running.set(false);
            cutter.interrupt();
            cutter.join();
        };
    }

    private interface Cutter extends AutoCloseable {
        @Override
        void close() throws InterruptedException;
    }
}
