package com.neurocards.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.billing.service.ConservationCheck;
import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.messaging.broker.TopologyDeclarer;
import com.neurocards.testing.ServiceProcess;
import com.neurocards.testing.TestInfrastructure;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged billing service killed with SIGKILL again and again while it works, and started again: every event
 * still takes effect exactly once, every request gets exactly one outcome event, and credits are conserved.
 */
class BillingCrashIT {

    static TestInfrastructure infra;
    static BillingTestSupport billing;

    @BeforeAll
    static void setUp() throws IOException {
        infra = TestInfrastructure.create();
        billing = new BillingTestSupport(infra);
        // Billing, as its own broker user, declares only its own queues; the other services' queues its events are
        // routed to (which this test reads) are declared here, as those services would in production.
        TopologyDeclarer.declare(infra.broker().channel());
    }

    @AfterAll
    static void tearDown() {
        infra.close();
    }

    @Test
    void killedMidStreamAndRestartedNothingIsLostAndNothingHappensTwice() throws Exception {
        Map<String, String> env = new HashMap<>(ServiceProcess.environmentFor(infra, BrokerUser.BILLING));
        env.put("WELCOME_CREDITS", "10");
        int users = 100;
        List<Long> userIds = new ArrayList<>();
        List<GenerationRequested> requests = new ArrayList<>();
        List<PaymentReceived> payments = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            long user = BillingTestSupport.newUser();
            userIds.add(user);
            for (int count = 1; count <= 3; count++) {
                requests.add(BillingTestSupport.request(user, count));
            }
            payments.add(BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 5));
        }

        try (ServiceProcess service = new ServiceProcess(
                Path.of("target/quarkus-app/quarkus-run.jar"), env, ServiceProcess.logFile("billing-crash"))) {
            service.start();
            Thread publisher = new Thread(
                    () -> {
                        for (int i = 0; i < requests.size(); i++) {
                            twice(Envelope.of(requests.get(i)));
                            if (i % 3 == 2) {
                                twice(Envelope.of(payments.get(i / 3)));
                            }
                        }
                    },
                    "publisher");
            publisher.start();
            List<Long> progressAtKills = new ArrayList<>();
            for (long threshold : List.of(30L, 120L, 210L)) {
                progressAtKills.add(killWhen(service, "SELECT count(*) FROM billing.request_decision", threshold));
                service.start();
            }
            publisher.join();
            assertThat(progressAtKills)
                    .as("requests decided when billing was killed")
                    .anyMatch(done -> done < requests.size());
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> count("SELECT count(*) FROM billing.request_decision") == requests.size()
                            && count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'TOPUP'") == users);

            Thread failures = new Thread(
                    () -> {
                        for (int i = 0; i < users; i++) {
                            twice(Envelope.of(BillingTestSupport.failure(requests.get(i * 3), 1)));
                        }
                    },
                    "failures");
            failures.start();
            long refundsAtKill =
                    killWhen(service, "SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'", 10);
            service.start();
            failures.join();
            assertThat(refundsAtKill).as("refunds made when billing was killed").isLessThan(users);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'") == users);
        }

        for (long user : userIds) {
            // 10 welcome − (1 + 2 + 3) debited + 5 topped up + 1 refunded
            assertThat(billing.balance(user)).as("user %d", user).isEqualTo(10);
        }
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(requests.size());
        assertThat(violations()).as("conservation").isEmpty();

        Map<String, Set<UUID>> outcomeMessagesByRequest = new HashMap<>();
        for (var message : billing.broker().drain(QueueName.PIPELINE_NOTIFY.queueName())) {
            Envelope<Event> event = EventCodec.decode(message.getBody());
            String requestId = event.payload() instanceof GenerationFunded f
                    ? f.request().requestId()
                    : event.payload() instanceof GenerationRejected r ? r.requestId() : null;
            if (requestId != null) {
                outcomeMessagesByRequest
                        .computeIfAbsent(requestId, k -> new HashSet<>())
                        .add(event.id());
            }
        }
        assertThat(outcomeMessagesByRequest).hasSize(requests.size());
        assertThat(outcomeMessagesByRequest.values())
                .as("one outcome event per request (a crashed relay may resend it, same id)")
                .allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(requests.stream().map(GenerationRequested::requestId).collect(Collectors.toSet()))
                .isEqualTo(outcomeMessagesByRequest.keySet());
    }

    private static void twice(Envelope<?> event) {
        billing.publish(event);
        billing.publish(event);
    }

    /** Waits until {@code sql} counts at least {@code threshold}, kills the service at once, returns the count then. */
    private static long killWhen(ServiceProcess service, String sql, long threshold) throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> count(sql) >= threshold);
        service.kill();
        return count(sql);
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = infra.database().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return -1; // the schema is not there yet on the very first start
        }
    }

    private static List<String> violations() throws Exception {
        List<String> violations = new ArrayList<>();
        try (Connection connection = infra.database().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(ConservationCheck.load())) {
            while (rows.next()) {
                violations.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
            }
        }
        return violations;
    }
}
