package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The whole system on a three-node RabbitMQ cluster of its own ({@code infra/local/cluster.sh}), every service given
 * all three nodes ({@code RABBITMQ_ADDRESSES}). Sellers order; mid-flight the node that leads the busiest quorum
 * queues is stopped. Its queues elect new leaders on the two others, the services connected to it reconnect to a
 * survivor, and the pipeline keeps delivering: orders placed before and while the node is down all end with their
 * videos exactly once, one render and one debit per request, no refund, credits conserved. Then the node starts
 * again and rejoins: the cluster has three running members and every queue its three members online again.
 */
@OnRabbitCluster
@SystemConfiguration({"KIE_EMULATOR_KEYS=kie-cluster-key-1,kie-cluster-key-2", "KIE_EMULATOR_RENDER_POLLS=1"})
class BrokerNodeLossIT extends WholeSystemTest {

    private static final Logger LOG = Logger.getLogger(BrokerNodeLossIT.class);

    /** Sellers ordering before the node goes (1, 3 or 5 videos each) and while it is down. */
    static final int SELLERS_BEFORE = 6;

    static final int SELLERS_DURING = 3;

    @Test
    void theNodeLeadingTheBusiestQueuesGoesMidFlightAndNothingIsLostNorDoneTwice() throws Exception {
        String vhost = system.infra.vhost().name();
        assertThat(system.environment.get("RABBITMQ_ADDRESSES"))
                .isEqualTo(cluster.endpoint().addresses());
        assertEveryQueueHasItsThreeMembersOnline(vhost);

        List<Order> before = placeOrders(SELLERS_BEFORE);
        int videosBefore = before.stream().mapToInt(Order::count).sum();
        // mid-flight: some videos are out, most are still being made
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> delivered(before) >= 1);

        int node = nodeLeadingTheBusiestQueues(vhost);
        String nodeName = cluster.nodeName(node);
        List<String> connectedToIt = connectionsOn(vhost, nodeName);
        int deliveredAtStop = delivered(before);
        LOG.infof(
                "Stopping %s, which leads the busiest queues, with %d of %d videos delivered; services connected to it:"
                        + " %s\n%s",
                nodeName, deliveredAtStop, videosBefore, connectedToIt, cluster.status());
        assertThat(deliveredAtStop).as("videos delivered when the node stops").isLessThan(videosBefore);
        // A quorum queue's leader starts on the node its declaring service is connected to, so the node leading the
        // busiest queues holds at least one service's connection: that service must reconnect to a survivor.
        assertThat(connectedToIt).as("service connections on %s", nodeName).isNotEmpty();
        cluster.stopNode(node);
        assertThat(cluster.members()).containsEntry(nodeName, false);

        // While it is down: the services connected to it are on a survivor, and sellers still get their videos —
        // those ordered before the stop and new ones.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(connectionNames(vhost))
                        .as("service connections after the stop (on the surviving nodes)")
                        .hasSizeGreaterThanOrEqualTo(3));
        assertThat(connectionsOn(vhost, nodeName)).isEmpty();
        List<Order> during = placeOrders(SELLERS_DURING);
        List<Order> all = Stream.concat(before.stream(), during.stream()).toList();
        assertEveryOrderEndsWithItsVideosUnderOneProgressCard(all, Duration.ofMinutes(4));
        assertThat(cluster.members())
                .as("the node stayed down while the pipeline delivered")
                .containsEntry(nodeName, false);

        // Nothing lost, nothing done twice: one debit per request, every job delivered once, one render per video.
        int jobs = all.stream().mapToInt(Order::count).sum();
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(all.size());
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM pipeline.job")).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status <> 'DELIVERED'"))
                .as("jobs not delivered")
                .isZero();
        assertThat(system.kie.creates().stream()
                        .filter(create -> create.code() == 200)
                        .count())
                .as("render tasks made at KIE: one per video")
                .isEqualTo(jobs);
        for (Order order : all) {
            assertThat(balance(system.billing, order.chat().id()))
                    .as("balance of seller %d", order.chat().id())
                    .isEqualTo(10 - order.count());
        }

        // The node comes back and rejoins: three running members, every queue with its three members online.
        cluster.startNode(node);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(cluster.members())
                        .hasSize(LocalRabbitCluster.NODES)
                        .allSatisfy(
                                (name, running) -> assertThat(running).as(name).isTrue()));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertEveryQueueHasItsThreeMembersOnline(vhost));
        LOG.infof("%s is back:\n%s", nodeName, cluster.status());
    }

    /** Every quorum queue of the vhost (work queues, DLQs, delay tiers) has the three nodes as members, all online. */
    private static void assertEveryQueueHasItsThreeMembersOnline(String vhost) {
        JsonNode queues = cluster.queues(vhost);
        assertThat(queues).as("queues of the system's vhost").isNotEmpty();
        for (JsonNode queue : queues) {
            String name = queue.get("name").asText();
            assertThat(queue.path("type").asText()).as("type of %s", name).isEqualTo("quorum");
            assertThat(queue.path("members")).as("members of %s", name).hasSize(LocalRabbitCluster.NODES);
            assertThat(queue.path("online")).as("members of %s online", name).hasSize(LocalRabbitCluster.NODES);
        }
        List<String> names = new ArrayList<>();
        queues.forEach(queue -> names.add(queue.get("name").asText()));
        assertThat(names).contains("pipeline.submit", "pipeline.submit.dlq", "neurocards.delay.5s");
    }

    /**
     * The node leading the queues that carried the most messages so far (each queue weighed by what was published
     * into it, or what it holds now before the statistics have caught up).
     */
    private static int nodeLeadingTheBusiestQueues(String vhost) {
        Map<String, Long> traffic = new HashMap<>();
        for (JsonNode queue : cluster.queues(vhost)) {
            String leader = queue.path("leader").asText("");
            if (leader.isEmpty()) {
                continue;
            }
            long load = queue.at("/message_stats/publish").asLong(0)
                    + queue.path("messages").asLong(0);
            traffic.merge(leader, load, Long::sum);
        }
        String busiest = traffic.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow(() -> new AssertionError("no quorum queue has a leader"))
                .getKey();
        LOG.infof("Messages through the queues each node leads: %s", traffic);
        return cluster.nodeNumber(busiest);
    }

    /** The services whose connections are on {@code node}. */
    private static List<String> connectionsOn(String vhost, String node) {
        return connectionNames(vhost).stream()
                .filter(name -> name.endsWith("@" + node))
                .map(name -> name.substring(0, name.indexOf('@')))
                .toList();
    }

    /** The services' connections open in the vhost, each as {@code service@node}. */
    private static List<String> connectionNames(String vhost) {
        List<String> names = new ArrayList<>();
        for (JsonNode connection : cluster.connections(vhost)) {
            String name = connection.at("/client_properties/connection_name").asText();
            if (Stream.of("bot-gateway", "billing", "generation-pipeline").anyMatch(name::equals)) {
                names.add(name + "@" + connection.path("node").asText());
            }
        }
        return names;
    }

    private static int delivered(List<Order> orders) {
        return orders.stream().mapToInt(order -> videos(order.chat()).size()).sum();
    }
}
