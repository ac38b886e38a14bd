package com.neurocards.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.OutgoingMessage;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.messaging.outbox.OutboxRelay;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging promises (docs/architecture.md#nothing-is-lost) against the real local RabbitMQ and PostgreSQL: the
 * outbox publishes what committed, a crash between publish and mark costs a duplicate that the idempotent consumer
 * absorbs, failures retry through delay tiers and end in the DLQ with their cause, and delay tiers do not hold each
 * other back.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
class ReliableMessagingTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @Inject
    Transactions transactions;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    ConfirmingPublisher publisher;

    @Inject
    Pool pool;

    @Inject
    MessagingConfig config;

    BrokerProbe broker;

    @BeforeEach
    void clean() throws IOException {
        broker = infra.broker();
        while (relay.relayOnce() > 0) {
            // flush anything an earlier test left in the outbox
        }
        for (QueueName queue : QueueName.values()) {
            broker.purge(queue.queueName());
            broker.purge(queue.dlq());
        }
        ScriptedStage.HANDLED.clear();
        ScriptedStage.RETRIES.clear();
        ScriptedStage.GIVE_UPS.clear();
        ScriptedStage.INFRASTRUCTURE_ATTEMPTS.clear();
    }

    @Test
    void anEventWrittenToTheOutboxIsPublishedWithConfirmsAndReadableProperties() throws Exception {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("ok");
        transactions.inTransaction(tx -> outbox.publish(tx, event)).await().atMost(Duration.ofSeconds(10));

        assertThat(relay.relayOnce()).isEqualTo(1);

        GetResponse copy = broker.await(QueueName.PIPELINE_JOURNAL.queueName(), Duration.ofSeconds(10));
        assertThat(copy).isNotNull();
        assertThat(copy.getProps().getMessageId()).isEqualTo(event.id().toString());
        assertThat(copy.getProps().getContentType()).isEqualTo("application/json");
        assertThat(copy.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(copy.getProps().getType()).isEqualTo("generation.requested");
        assertThat(copy.getProps().getHeaders().get(Headers.REQUEST_ID).toString())
                .isEqualTo(event.correlationId());
        assertThat(EventCodec.decode(copy.getBody())).isEqualTo(event);
        assertThat(unpublishedRows()).isZero();
        awaitEffects(event.id(), 1);
    }

    @Test
    void aRolledBackTransactionPublishesNothing() throws Exception {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("ok");

        assertThatThrownBy(() -> transactions
                        .inTransaction(tx -> outbox.publish(tx, event)
                                .chain(() -> tx.query("SELECT 1/0").execute()))
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("division by zero");

        assertThat(relay.relayOnce()).isZero();
        assertThat(broker.messageCount(QueueName.PIPELINE_JOURNAL.queueName())).isZero();
    }

    @Test
    void theRelayIsWokenOnlyByACommittedTransactionThatWroteToTheOutbox() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        AtomicInteger visibleAtWake = new AtomicInteger();
        OutboxRelay counting = new OutboxRelay(pool, publisher, config, new SimpleMeterRegistry()) {
            @Override
            public void wake() {
                wakes.incrementAndGet();
                try {
                    visibleAtWake.set(unpublishedRows());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Transactions counted = new Transactions(pool, counting, config);

        counted.inTransaction(tx -> tx.query("SELECT 1").execute()).await().atMost(Duration.ofSeconds(10));
        assertThat(wakes).as("a transaction that wrote no event").hasValue(0);

        assertThatThrownBy(() -> counted.inTransaction(tx -> outbox.publish(tx, MessagingTestSupport.request("ok"))
                                .chain(() -> tx.query("SELECT 1/0").execute()))
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("division by zero");
        assertThat(wakes).as("a write rolled back").hasValue(0);

        counted.inTransaction(tx -> outbox.publish(tx, MessagingTestSupport.request("ok")))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(wakes).as("a committed write").hasValue(1);
        assertThat(visibleAtWake)
                .as("the event is committed when the relay is woken")
                .hasValue(1);
        assertThat(relay.relayOnce()).isEqualTo(1);
    }

    @Test
    void aRelayCrashBetweenPublishAndMarkRepublishesButTheEffectHappensOnce() throws Exception {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("ok");
        transactions.inTransaction(tx -> outbox.publish(tx, event)).await().atMost(Duration.ofSeconds(10));
        OutboxRelay crashing = new OutboxRelay(pool, publisher, config, new SimpleMeterRegistry()) {
            @Override
            protected void beforeMarkingPublished(List<OutgoingMessage> messages) {
                throw new IllegalStateException("relay process killed after the broker confirmed");
            }
        };

        assertThatThrownBy(crashing::relayOnce).hasMessageContaining("killed");
        assertThat(unpublishedRows()).as("the crash left the row unmarked").isEqualTo(1);
        awaitEffects(event.id(), 1);

        assertThat(relay.relayOnce()).as("the next relay run sends it again").isEqualTo(1);

        assertThat(unpublishedRows()).isZero();
        List<GetResponse> journal = awaitMessages(QueueName.PIPELINE_JOURNAL.queueName(), 2);
        assertThat(journal)
                .extracting(r -> r.getProps().getMessageId())
                .containsOnly(event.id().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> ScriptedStage.HANDLED.size() == 2);
        assertThat(effects(event.id())).as("two deliveries, one effect").isEqualTo(1);
    }

    @Test
    void severalRelaysSideBySidePublishEveryRowExactlyOnce() throws Exception {
        int rows = 300;
        for (int i = 0; i < rows; i += 50) {
            transactions
                    .inTransaction(tx -> Multi.createFrom()
                            .range(0, 50)
                            .onItem()
                            .transformToUniAndConcatenate(n -> outbox.publish(tx, MessagingTestSupport.request("ok")))
                            .collect()
                            .last())
                    .await()
                    .atMost(Duration.ofSeconds(30));
        }
        List<OutboxRelay> relays = List.of(relay, newRelay(), newRelay());
        AtomicInteger published = new AtomicInteger();

        List<Thread> threads = relays.stream()
                .map(r -> new Thread(() -> {
                    try {
                        int n;
                        while ((n = r.relayOnce()) > 0) {
                            published.addAndGet(n);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
        }

        assertThat(published.get()).isEqualTo(rows);
        assertThat(unpublishedRows()).isZero();
        List<GetResponse> journal = awaitMessages(QueueName.PIPELINE_JOURNAL.queueName(), rows);
        assertThat(journal).hasSize(rows);
        assertThat(journal).extracting(r -> r.getProps().getMessageId()).doesNotHaveDuplicates();
    }

    private OutboxRelay newRelay() {
        return new OutboxRelay(pool, publisher, config, new SimpleMeterRegistry());
    }

    @Test
    void aRedeliveredMessageHasItsEffectOnce() throws Exception {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("ok");
        byte[] body = EventCodec.encode(event);

        for (int i = 0; i < 3; i++) {
            broker.publish(
                    Topology.EXCHANGE,
                    QueueName.BILLING_DEBIT.queueName(),
                    BrokerProbe.json(event.id().toString(), event.type(), Map.of()),
                    body);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> ScriptedStage.HANDLED.size() == 3);
        assertThat(effects(event.id())).isEqualTo(1);
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq())).isZero();
    }

    @Test
    void aMessageThatKeepsFailingIsRetriedThroughTheDelayTiersThenDeadLetteredWithItsCause() {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("flaky");

        publishDirectly(event);

        GetResponse dead = broker.await(QueueName.BILLING_DEBIT.dlq(), Duration.ofSeconds(45));
        assertThat(dead)
                .as("dead-lettered after %d attempts", config.consumers().maxAttempts())
                .isNotNull();
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertThat(headers.get(Headers.ATTEMPT)).isEqualTo(3);
        assertThat(headers.get(Headers.ERROR_CLASS).toString()).isEqualTo("TEMPORARY");
        assertThat(headers.get(Headers.CAUSE).toString()).contains("KIE answered 500");
        assertThat(headers.get(Headers.STAGE).toString()).isEqualTo("BILLING");
        assertThat(headers.get(Headers.ORIGINAL_QUEUE).toString()).isEqualTo(QueueName.BILLING_DEBIT.queueName());
        assertThat(headers.get(Headers.ORIGINAL_ROUTING_KEY).toString()).isEqualTo("generation.requested");
        assertThat(dead.getProps().getMessageId()).isEqualTo(event.id().toString());
        assertThat(EventCodec.decode(dead.getBody())).isEqualTo(event);

        assertThat(ScriptedStage.HANDLED).containsExactly(event.id() + "#1", event.id() + "#2", event.id() + "#3");
        assertThat(ScriptedStage.RETRIES).containsExactly(event.id() + "#2", event.id() + "#3");
        assertThat(ScriptedStage.GIVE_UPS).containsExactly(event.id().toString());
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq()))
                .as("exactly one dead letter")
                .isZero();
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.queueName()))
                .as("no loop")
                .isZero();
    }

    @Test
    void anUnexpectedFailureIsDeadLetteredAtOnceAndTheStageGivesUp() {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("bug");

        publishDirectly(event);

        GetResponse dead = broker.await(QueueName.BILLING_DEBIT.dlq(), Duration.ofSeconds(10));
        assertThat(dead).isNotNull();
        assertThat(dead.getProps().getHeaders().get(Headers.ERROR_CLASS).toString())
                .isEqualTo("UNKNOWN");
        assertThat(dead.getProps().getHeaders().get(Headers.CAUSE).toString())
                .isEqualTo("IllegalStateException: no rule expects this");
        assertThat(ScriptedStage.HANDLED).hasSize(1);
        assertThat(ScriptedStage.GIVE_UPS).containsExactly(event.id().toString());
    }

    @Test
    void aPoisonMessageGoesToTheDlqWithItsCauseAndDoesNotBlockTheQueue() {
        broker.publish(
                Topology.EXCHANGE,
                QueueName.BILLING_DEBIT.queueName(),
                BrokerProbe.json("poison-1", "generation.requested", Map.of()),
                "{\"this is\": not json".getBytes(StandardCharsets.UTF_8));
        Envelope<GenerationRequested> next = MessagingTestSupport.request("ok");
        publishDirectly(next);

        GetResponse dead = broker.await(QueueName.BILLING_DEBIT.dlq(), Duration.ofSeconds(10));
        assertThat(dead).isNotNull();
        assertThat(dead.getProps().getMessageId()).isEqualTo("poison-1");
        assertThat(dead.getProps().getHeaders().get(Headers.CAUSE).toString()).contains("not JSON");
        awaitEffects(next.id(), 1);
        assertThat(ScriptedStage.GIVE_UPS).isEmpty();
    }

    @Test
    void aConsumerKilledBetweenCommitAndAckGetsTheMessageAgainAndChangesNothing() throws Exception {
        ScriptedStage.beforeAck = new CountDownLatch(1);
        Envelope<GenerationRequested> event = MessagingTestSupport.request("commit-then-wait");
        publishDirectly(event);
        awaitEffects(event.id(), 1);

        // The effect is committed and the ack not yet sent: cut the service's broker connection, as a crash would.
        assertThat(infra.vhost().closeConnections(config.serviceName())).isEqualTo(1);
        ScriptedStage.beforeAck.countDown();

        // (a message left over from an earlier test may be handled meanwhile: only this event's handlings count)
        await().atMost(Duration.ofSeconds(30)).until(() -> handlings(event.id()).size() >= 2);
        assertThat(handlings(event.id())).containsOnly(event.id() + "#1");
        assertThat(effects(event.id())).as("redelivered, applied once").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> broker.messageCount(QueueName.BILLING_DEBIT.queueName()) == 0);
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq())).isZero();
    }

    @Test
    void aDatabaseBlipIsRetriedWithoutUsingAnAttemptOrFailingTheJob() throws Exception {
        ScriptedStage.databaseBlipDone.set(false);
        Envelope<GenerationRequested> event = MessagingTestSupport.request("database-blip");

        publishDirectly(event);

        await().atMost(Duration.ofSeconds(20)).until(() -> effects(event.id()) == 1);
        assertThat(ScriptedStage.HANDLED).containsExactly(event.id() + "#1", event.id() + "#1");
        assertThat(ScriptedStage.INFRASTRUCTURE_ATTEMPTS).containsExactly(0, 1);
        assertThat(ScriptedStage.RETRIES).as("not a retry the user hears about").isEmpty();
        assertThat(ScriptedStage.GIVE_UPS).isEmpty();
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq())).isZero();
    }

    @Test
    void aMessageWaitingForABusyResourceNeverUsesUpItsAttempts() {
        Envelope<GenerationRequested> event = MessagingTestSupport.request("busy");
        assertThat(ScriptedStage.BUSY_ROUNDS)
                .as("more waits than attempts")
                .isGreaterThanOrEqualTo(config.consumers().maxAttempts());

        publishDirectly(event);

        await().atMost(Duration.ofSeconds(40)).until(() -> effects(event.id()) == 1);
        assertThat(ScriptedStage.HANDLED)
                .as("every try is still attempt 1")
                .containsOnly(event.id() + "#1")
                .hasSize(ScriptedStage.BUSY_ROUNDS + 1);
        assertThat(ScriptedStage.RETRIES)
                .as("waiting is not a retry the user hears about")
                .isEmpty();
        assertThat(ScriptedStage.GIVE_UPS).isEmpty();
        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq())).isZero();
    }

    @Test
    void aDelayedMessageComesBackAfterItsTierAndALongWaitNeverHoldsBackAShortOne() throws Exception {
        // pipeline.submit has no consumer in this test application, so arrivals stay countable.
        String target = QueueName.PIPELINE_SUBMIT.queueName();
        long start = System.nanoTime();
        publisher.publish(Outbox.delayed(message("long", target), DelayTier.SECONDS_60));
        publisher.publish(Outbox.delayed(message("short", target), DelayTier.SECONDS_15));

        GetResponse first = broker.await(target, Duration.ofSeconds(30));
        double waited = (System.nanoTime() - start) / 1e9;

        assertThat(first).isNotNull();
        assertThat(first.getProps().getMessageId()).isEqualTo("short");
        assertThat(waited).as("seconds until the 15 s message came back").isBetween(14.5, 30.0);
        assertThat(broker.messageCount(DelayTier.SECONDS_60.queueName()))
                .as("the 60 s message still waits")
                .isEqualTo(1);
        assertThat(broker.messageCount(target)).isZero();
    }

    @Test
    void workQueuesAreDurableQuorumQueuesWithADeadLetterQueue() throws Exception {
        for (QueueName queue : QueueName.values()) {
            JsonNode info = EventCodec.mapper().readTree(infra.vhost().queueJson(queue.queueName()));
            assertThat(info.get("durable").asBoolean()).isTrue();
            assertThat(info.at("/arguments/x-queue-type").asText()).isEqualTo("quorum");
            assertThat(info.at("/arguments/x-dead-letter-exchange").asText()).isEqualTo(Topology.DEAD_LETTER_EXCHANGE);
            JsonNode dlq = EventCodec.mapper().readTree(infra.vhost().queueJson(queue.dlq()));
            assertThat(dlq.at("/arguments/x-queue-type").asText()).isEqualTo("quorum");
        }
        for (DelayTier tier : DelayTier.values()) {
            JsonNode info = EventCodec.mapper().readTree(infra.vhost().queueJson(tier.queueName()));
            assertThat(info.at("/arguments/x-message-ttl").asLong())
                    .isEqualTo(tier.delay().toMillis());
            assertThat(info.at("/arguments/x-dead-letter-exchange").asText()).isEqualTo(Topology.EXCHANGE);
        }
    }

    private OutgoingMessage message(String id, String routingKey) {
        return new OutgoingMessage(
                Topology.EXCHANGE, routingKey, id, "test", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private void publishDirectly(Envelope<?> event) {
        MessagingTestSupport.publish(broker, event);
    }

    private List<GetResponse> awaitMessages(String queue, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.messageCount(queue) >= count);
        return broker.drain(queue);
    }

    private void awaitEffects(UUID messageId, int expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> effects(messageId) == expected);
    }

    private int effects(UUID messageId) throws SQLException {
        return MessagingTestSupport.effects(infra, messageId);
    }

    private int unpublishedRows() throws SQLException {
        try (Connection connection = infra.database().connect();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT count(*) FROM messaging_test.outbox_message WHERE published_at IS NULL")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The stage's handlings of one message id, as {@code <id>#<attempt>}. */
    private static List<String> handlings(Object messageId) {
        return MessagingTestSupport.handlings(messageId);
    }
}
