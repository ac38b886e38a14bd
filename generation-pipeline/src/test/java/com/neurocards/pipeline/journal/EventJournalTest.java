package com.neurocards.pipeline.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The event journal against the real broker and database: every crossing of a message is one row — the event, its
 * retries, its dead letter — a redelivered copy is stored once, nothing ever sits in the journal queue for long, and
 * old rows go after the retention period.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
class EventJournalTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @Inject
    JournalRetention retention;

    @Inject
    EventJournal journal;

    @Inject
    JournalRepository repository;

    @Inject
    MeterRegistry registry;

    @Test
    void storesAnEventItsRetriesAndItsDeadLetterEachOnceWithCauseAndAttempt() {
        Envelope<PaymentReceived> event = Envelope.of(
                new PaymentReceived("charge-" + UUID.randomUUID(), 42L, 42L, Language.EN, "pack-50", 50, 50));
        String id = event.id().toString();
        byte[] body = EventCodec.encode(event);
        BrokerProbe broker = infra.broker();

        // the event, then the same bytes again (an outbox relay that crashed before marking it published, a redelivery)
        broker.publish(Topology.EXCHANGE, "payment.received", BrokerProbe.json(id, event.type(), headers(null)), body);
        broker.publish(Topology.EXCHANGE, "payment.received", BrokerProbe.json(id, event.type(), headers(null)), body);
        // two retries through the delay tiers, addressed to the failing queue by its name
        broker.publish(
                Topology.EXCHANGE,
                QueueName.BILLING_TOPUP.queueName(),
                BrokerProbe.json(id, event.type(), headers(2)),
                body);
        broker.publish(
                Topology.EXCHANGE,
                QueueName.BILLING_TOPUP.queueName(),
                BrokerProbe.json(id, event.type(), headers(3)),
                body);
        // given up: dead-lettered with the cause, as the consumer engine does it
        Map<String, Object> dead = headers(3);
        dead.put(Headers.ERROR_CLASS, "TEMPORARY");
        dead.put(Headers.CAUSE, "StageException: KIE answered 500");
        dead.put(Headers.STAGE, "BILLING");
        dead.put(Headers.ORIGINAL_QUEUE, QueueName.BILLING_TOPUP.queueName());
        broker.publish(
                Topology.DEAD_LETTER_EXCHANGE,
                QueueName.BILLING_TOPUP.queueName(),
                BrokerProbe.json(id, event.type(), dead),
                body);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(rows(id)).hasSize(4));
        List<Map<String, String>> rows = rows(id);
        assertThat(rows).extracting(r -> r.get("attempt")).containsExactly(null, "2", "3", "3");
        assertThat(rows)
                .extracting(r -> r.get("exchange"))
                .containsExactly(
                        Topology.EXCHANGE, Topology.EXCHANGE, Topology.EXCHANGE, Topology.DEAD_LETTER_EXCHANGE);
        assertThat(rows.get(0))
                .containsEntry("routing_key", "payment.received")
                .containsEntry("event_type", "payment.received")
                .containsEntry("request_id", event.correlationId());
        assertThat(rows.get(3))
                .containsEntry("dead_letter_cause", "StageException: KIE answered 500")
                .containsEntry("error_class", "TEMPORARY")
                .containsEntry("dead_letter_stage", "BILLING");
        assertThat(rows.get(0).get("envelope")).contains(id, "\"chargeId\"");

        // the journal keeps up: its queue empties, and its lag is measured
        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.messageCount(QueueName.PIPELINE_JOURNAL.queueName()) == 0);
        assertThat(registry.find("neurocards.journal.lag").gauge()).isNotNull();
    }

    @Test
    void aMessageStoredButNeverAckedIsStoredOnceWhenTheBrokerDeliversItAgain() {
        Envelope<PaymentReceived> event = Envelope.of(
                new PaymentReceived("charge-" + UUID.randomUUID(), 43L, 43L, Language.EN, "pack-50", 50, 50));
        String id = event.id().toString();
        var properties = BrokerProbe.json(id, event.type(), headers(null));
        byte[] body = EventCodec.encode(event);
        journal.stop();
        try {
            infra.broker().publish(Topology.EXCHANGE, "payment.received", properties, body);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> infra.broker().messageCount(QueueName.PIPELINE_JOURNAL.queueName()) == 1);
            // the journal stored it, then died before its ack reached the broker
            repository
                    .store(List.of(JournalEntry.of(Topology.EXCHANGE, "payment.received", properties, body)))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        } finally {
            journal.start();
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> infra.broker().messageCount(QueueName.PIPELINE_JOURNAL.queueName()) == 0);
        assertThat(rows(id)).hasSize(1);
    }

    @Test
    void keepsAnUnreadableMessageAsItCameAndNeverDeadLettersIt() {
        String id = "poison-" + UUID.randomUUID();
        infra.broker()
                .publish(
                        Topology.EXCHANGE,
                        "generation.requested",
                        BrokerProbe.json(id, "generation.requested", Map.of()),
                        "not json at all".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(rows(id)).singleElement().satisfies(row -> assertThat(row)
                        .containsEntry("raw_body", "not json at all")
                        .containsEntry("envelope", null)));
        assertThat(infra.broker().messageCount(QueueName.PIPELINE_JOURNAL.dlq()))
                .isZero();
    }

    @Test
    void retentionDeletesRowsOlderThanTheRetentionPeriodOnly() throws SQLException {
        String old = "old-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        try (Connection c = infra.database().connect()) {
            insert(c, old, "now() - interval '15 days'");
            insert(c, fresh, "now() - interval '13 days'");
        }

        assertThat(retention.deleteExpired().await().atMost(Duration.ofSeconds(10)))
                .isGreaterThanOrEqualTo(1);

        assertThat(rows(old)).isEmpty();
        assertThat(rows(fresh)).hasSize(1);
    }

    private static void insert(Connection c, String messageId, String receivedAt) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO pipeline.journal (crossing_key, message_id, exchange, "
                        + "routing_key, headers, received_at) VALUES (?, ?, 'neurocards', 'x', '{}'::jsonb, "
                        + receivedAt + ")")) {
            s.setString(1, messageId + ":x");
            s.setString(2, messageId);
            s.executeUpdate();
        }
    }

    private static Map<String, Object> headers(Integer attempt) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (attempt != null) {
            headers.put(Headers.ATTEMPT, attempt);
        }
        return headers;
    }

    private List<Map<String, String>> rows(String messageId) {
        try (Connection c = infra.database().connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT exchange, routing_key, event_type, request_id, attempt, "
                                + "dead_letter_cause, error_class, dead_letter_stage, envelope::text AS envelope, raw_body "
                                + "FROM pipeline.journal WHERE message_id = ? ORDER BY id")) {
            s.setString(1, messageId);
            List<Map<String, String>> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
