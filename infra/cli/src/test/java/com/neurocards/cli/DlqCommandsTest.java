package com.neurocards.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.broker.TopologyDeclarer;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.LocalServices;
import com.neurocards.testing.TestVhost;
import com.rabbitmq.client.GetResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DLQ commands against the real broker, on messages dead-lettered the way the consumer engine does it. */
class DlqCommandsTest {

    static TestVhost vhost;
    static BrokerProbe broker;
    static final String DEBIT = QueueName.BILLING_DEBIT.queueName();

    String out;
    String err;

    @BeforeAll
    static void topology() throws Exception {
        vhost = TestVhost.create();
        broker = new BrokerProbe(vhost.name());
        TopologyDeclarer.declare(broker.channel());
    }

    @AfterAll
    static void cleanUp() {
        broker.close();
        vhost.close();
    }

    @BeforeEach
    void twoDeadLetters() {
        broker.purge(DEBIT);
        broker.purge(QueueName.BILLING_DEBIT.dlq());
        deadLetter("msg-1", "IllegalStateException: no rule expects this");
        deadLetter("msg-2", "StageException: KIE answered 500");
    }

    @Test
    void listShowsEveryDlqWithItsDepth() {
        assertThat(run("dlq", "list")).isZero();
        assertThat(out).containsPattern("billing\\.debit\\.dlq\\s+2").containsPattern("pipeline\\.submit\\.dlq\\s+0");
    }

    @Test
    void aClustersNodeListReachesANodeThatAnswersAndNamesTheNodesWhenNoneDoes() throws Exception {
        int down;
        try (ServerSocket socket = new ServerSocket(0)) {
            down = socket.getLocalPort(); // nothing listens there once closed: a node that is down
        }
        String host = LocalServices.rabbitHost();
        String addresses = host + ":" + down + "," + host + ":" + LocalServices.rabbitPort();
        for (int i = 0; i < 3; i++) { // the client tries the nodes in random order: any order reaches the live one
            CliRun run = CliRun.of(List.of("--vhost", vhost.name(), "--rabbitmq-addresses", addresses), "dlq", "list");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).containsPattern("billing\\.debit\\.dlq\\s+2");
        }

        CliRun none =
                CliRun.of(List.of("--vhost", vhost.name(), "--rabbitmq-addresses", host + ":" + down), "dlq", "list");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("cannot connect to RabbitMQ at " + host + ":" + down);
    }

    @Test
    void showPrintsTheDecodedCauseAndLeavesTheMessagesWhereTheyAre() {
        assertThat(run("dlq", "show", "billing.debit.dlq", "--body")).isZero();

        assertThat(out)
                .contains(
                        "msg-1",
                        "msg-2",
                        "stage BILLING",
                        "error UNKNOWN",
                        "KIE answered 500",
                        "request req-1",
                        "\"hello\"");
        awaitDepth(QueueName.BILLING_DEBIT.dlq(), 2);
    }

    @Test
    void requeueSendsAChosenMessageBackToItsQueueFreshWithTheSameId() {
        assertThat(run("dlq", "requeue", "billing.debit", "--id", "msg-2")).isZero();

        assertThat(out).contains("requeued msg-2 → billing.debit", "1 message(s) requeued");
        awaitDepth(QueueName.BILLING_DEBIT.dlq(), 1);
        GetResponse back = broker.take(DEBIT);
        assertThat(back.getProps().getMessageId()).isEqualTo("msg-2");
        assertThat(back.getProps().getHeaders())
                .doesNotContainKeys(Headers.CAUSE, Headers.ATTEMPT, Headers.ERROR_CLASS)
                .containsKeys(Headers.REDRIVEN_AT, Headers.REQUEST_ID);
        assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\":\"msg-2\"}");
    }

    @Test
    void requeueAllEmptiesTheDlq() {
        assertThat(run("dlq", "requeue", "billing.debit.dlq", "--all")).isZero();

        assertThat(broker.messageCount(QueueName.BILLING_DEBIT.dlq())).isZero();
        assertThat(broker.messageCount(DEBIT)).isEqualTo(2);
    }

    @Test
    void purgeDeletesOnlyTheChosenMessage() {
        assertThat(run("dlq", "purge", "billing.debit.dlq", "--id", "msg-1")).isZero();

        awaitDepth(QueueName.BILLING_DEBIT.dlq(), 1);
        assertThat(broker.take(QueueName.BILLING_DEBIT.dlq()).getProps().getMessageId())
                .isEqualTo("msg-2");
    }

    @Test
    void unknownIdsAndQueuesFailClearlyAndChangeNothing() {
        assertThat(run("dlq", "requeue", "billing.debit.dlq", "--id", "no-such-id"))
                .isEqualTo(1);
        assertThat(run("dlq", "purge", "billing.debit.dlq", "--id", "no-such-id"))
                .isEqualTo(1);
        assertThat(run("dlq", "show", "billing.nothing.dlq")).isEqualTo(1);
        assertThat(err).contains("unknown queue 'billing.nothing.dlq'", "pipeline.submit.dlq");
        assertThat(run("dlq", "requeue", "billing.debit.dlq"))
                .as("needs --id or --all")
                .isEqualTo(2);
        awaitDepth(QueueName.BILLING_DEBIT.dlq(), 2);
    }

    /** Messages given back (nack with requeue) show in a quorum queue's depth a moment later. */
    private static void awaitDepth(String queue, long depth) {
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.messageCount(queue) == depth);
    }

    private void deadLetter(String id, String cause) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Headers.REQUEST_ID, "req-1");
        headers.put(Headers.ATTEMPT, 3);
        headers.put(Headers.ERROR_CLASS, "UNKNOWN");
        headers.put(Headers.CAUSE, cause);
        headers.put(Headers.STAGE, "BILLING");
        headers.put(Headers.ORIGINAL_QUEUE, DEBIT);
        broker.publish(
                Topology.DEAD_LETTER_EXCHANGE,
                DEBIT,
                BrokerProbe.json(id, "generation.requested", headers),
                ("{\"hello\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        CliRun run = CliRun.of(
                List.of(
                        "--vhost",
                        vhost.name(),
                        "--rabbitmq-host",
                        LocalServices.rabbitHost(),
                        "--rabbitmq-port",
                        String.valueOf(LocalServices.rabbitPort())),
                args);
        out = run.out();
        err = run.err();
        return run.exit();
    }
}
