package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.kie.KieRecords;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several instances of every service side by side on one broker vhost and one database, as a scaled-out deployment
 * runs them: two gateways (one polls Telegram, the other stands by), three pipelines and two billings, all competing
 * for the same queues. Twelve sellers order at once; every video arrives once, every request has one progress
 * message, KIE's per-key create window and Telegram's limits hold for the deployment as a whole (one KIE key and the
 * real Telegram limits, so three pipelines each counting only their own sends would be refused), and every balance is
 * exact. Then the polling gateway is killed and the standby takes over.
 */
@Instances(gateways = 2, pipelines = 3, billings = 2)
@SystemConfiguration({
    // one key for every pipeline: 36 creates through a window of 20 per 10 s
    "KIE_EMULATOR_KEYS=kie-scaled-out-key-1",
    "KIE_EMULATOR_RENDER_POLLS=1"
})
class ScaledOutIT extends WholeSystemTest {

    static final int SELLERS = 12;

    @Test
    void twoGatewaysThreePipelinesAndTwoBillingsDeliverEveryVideoOnceWithinTheLimits() throws Exception {
        List<Order> orders = placeOrders(SELLERS);
        int jobs = orders.stream().mapToInt(Order::count).sum();

        assertEveryOrderEndsWithItsVideosUnderOneProgressCard(orders, Duration.ofMinutes(6));

        for (Order order : orders) {
            long seller = order.chat().id();
            long expected = 10 - order.count();
            for (ServiceProcess billing : system.billings) {
                assertThat(balance(billing, seller))
                        .as("balance of seller %d in billing %s", seller, billing.baseUrl())
                        .isEqualTo(expected);
            }
        }
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status = 'DELIVERED'"))
                .isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(SELLERS);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .isZero();

        List<KieRecords.ReceivedCreate> creates = system.kie.creates();
        assertThat(creates.stream().filter(create -> create.code() == 200).count())
                .as("render tasks made at KIE: one per video")
                .isEqualTo(jobs);
        assertThat(creates.stream().filter(create -> create.code() != 200).toList())
                .as("creates KIE refused (its window is 20 per 10 s per key, for the three pipelines together)")
                .isEmpty();
        assertThat(mostCreatesInAnyWindow(creates, Duration.ofSeconds(10))).isLessThanOrEqualTo(20);
        List<RecordedCall> refused = system.telegram.calls().stream()
                .filter(call -> call.status() == 429)
                .toList();
        assertThat(refused)
                .as("Bot API calls Telegram answered 429 (one bot, two gateways and three pipelines sending)")
                .isEmpty();

        assertThat(system.telegram.calls("getUpdates").stream()
                        .filter(call -> call.status() == 409)
                        .count())
                .as("getUpdates calls refused because another one was running: one gateway polls at a time")
                .isZero();

        // The gateway that polls dies; the other one takes the bot over and sellers carry on.
        ServiceProcess polling = pollingGateway();
        polling.kill();
        BotChat seller = orders.get(0).chat();
        int before = seller.botCount();
        seller.send("/start");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> seller.botCount() > before);
        assertThat(seller.lastText()).contains("Баланс: " + (10 - orders.get(0).count()) + " кр.");
    }

    /** The most creates KIE received in any window of {@code window}, over all keys. */
    private static long mostCreatesInAnyWindow(List<KieRecords.ReceivedCreate> creates, Duration window) {
        List<Instant> times =
                creates.stream().map(KieRecords.ReceivedCreate::at).sorted().toList();
        long most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (!times.get(first).plus(window).isAfter(times.get(last))) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** The gateway that holds the polling lease now (its metrics say so). */
    private static ServiceProcess pollingGateway() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (ServiceProcess gateway : system.gateways) {
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/q/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (metrics.lines()
                    .anyMatch(line -> line.startsWith("neurocards_gateway_polling_leader") && line.endsWith(" 1.0"))) {
                return gateway;
            }
        }
        throw new AssertionError("no gateway says it polls Telegram");
    }
}
