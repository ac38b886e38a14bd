package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.harness.NeuroCardsSystem;
import com.neurocards.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * Each end-to-end class runs against a whole system of its own, started once for the class (with the class's
 * {@link SystemConfiguration}, if any). After every test, whatever it did, credits must still be conserved
 * (docs/architecture.md#credits-are-conserved): billing's own conservation query finds no violation.
 */
abstract class WholeSystemTest {

    /** Billing's internal-API token for this run: random, as the production checklist asks (docs/security.md). */
    static final String INTERNAL_TOKEN = ServiceProcess.randomSecret();

    static NeuroCardsSystem system;

    /** The class's own RabbitMQ cluster when it runs on one ({@link OnRabbitCluster}), else null. */
    static LocalRabbitCluster cluster;

    @BeforeAll
    static void startTheSystem(TestInfo test) {
        Map<String, String> configuration = new HashMap<>(Map.of(
                "WELCOME_CREDITS",
                "10",
                // billing's internal API locked as in production: the gateway must send the token to show balances
                "BILLING_INTERNAL_TOKEN",
                INTERNAL_TOKEN));
        SystemConfiguration extra = test.getTestClass()
                .map(c -> c.getAnnotation(SystemConfiguration.class))
                .orElse(null);
        if (extra != null) {
            for (String setting : extra.value()) {
                int eq = setting.indexOf('=');
                configuration.put(setting.substring(0, eq), setting.substring(eq + 1));
            }
        }
        Instances instances =
                test.getTestClass().map(c -> c.getAnnotation(Instances.class)).orElse(null);
        String name = test.getTestClass().map(Class::getSimpleName).orElse("e2e");
        NeuroCardsSystem.Scale scale = instances == null
                ? NeuroCardsSystem.Scale.ONE_OF_EACH
                : new NeuroCardsSystem.Scale(instances.gateways(), instances.pipelines(), instances.billings());
        if (test.getTestClass()
                .map(c -> c.isAnnotationPresent(OnRabbitCluster.class))
                .orElse(false)) {
            Assumptions.assumeTrue(
                    LocalRabbitCluster.installed(),
                    "RabbitMQ is not installed on this machine (the tests' broker is a container): no local cluster");
            cluster = LocalRabbitCluster.start();
            try {
                system = NeuroCardsSystem.start(name, configuration, scale, cluster.endpoint());
            } catch (RuntimeException e) {
                stopTheCluster();
                throw e;
            }
        } else {
            system = NeuroCardsSystem.start(name, configuration, scale);
        }
    }

    @AfterEach
    void creditsAreConserved() throws Exception {
        assertThat(conservationViolations())
                .as("credit conservation (billing's sql/conservation-check.sql)")
                .isEmpty();
    }

    /** Stops the system, then checks that no log line of its services holds a secret (docs/security.md). */
    @AfterAll
    static void stopTheSystem() throws IOException {
        try {
            if (system != null) {
                system.close();
                List<String> leaks = system.secretsInLogs();
                system = null;
                assertThat(leaks).as("log lines that hold a secret of this run").isEmpty();
            }
        } finally {
            stopTheCluster();
        }
    }

    private static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** The first column of the first row of {@code sql} in the system's database, or -1 when there is no row. */
    static long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = system.infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    /** Every violation billing's conservation query reports, one line each; empty when all balances add up. */
    static List<String> conservationViolations() throws SQLException, IOException {
        List<String> violations = new ArrayList<>();
        try (Connection connection = system.infra.database().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(conservationCheck())) {
            while (rows.next()) {
                violations.add(rows.getString(1) + ": " + rows.getString(2) + " (" + rows.getString(3) + ")");
            }
        } catch (SQLException e) {
            if ("3F000".equals(e.getSQLState()) || "42P01".equals(e.getSQLState())) {
                return violations; // billing never migrated its schema: no ledger, nothing to conserve
            }
            throw e;
        }
        return violations;
    }

    /** Billing's shipped conservation query (from billing's jar on the test classpath). */
    private static String conservationCheck() throws IOException {
        try (InputStream in =
                WholeSystemTest.class.getClassLoader().getResourceAsStream("sql/conservation-check.sql")) {
            return new String(
                    Objects.requireNonNull(in, "billing's conservation check").readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- a seller's chat, as the tests look at it ------------------------------------------------------------------

    static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000L);
    }

    /**
     * A new seller sends a product photo with {@code description}, picks {@code template}, no wishes, {@code count}
     * videos, and confirms.
     */
    static BotChat order(String description, String template, int count) {
        BotChat chat = new BotChat(system.telegram, newUserId());
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send(description);
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":" + template);
        chat.send("-");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":" + count);
        chat.press(chat.button("ok:" + draft + ":"));
        return chat;
    }

    /**
     * One seller's order and how many bot messages their chat held before the confirmation card (which becomes the
     * request's progress message when Confirm is pressed).
     */
    record Order(BotChat chat, String template, int count, int messagesBeforeCard) {}

    static final int[] COUNTS = {1, 3, 5};
    static final String[] TEMPLATES = {"UGC", "AD", "SELF"};

    /**
     * {@code sellers} new sellers order at once, each through the whole conversation: seller i asks for
     * {@code COUNTS[i % 3]} videos with template {@code TEMPLATES[(i / 3) % 3]} (SELF with a prompt of their own).
     */
    static List<Order> placeOrders(int sellers) throws Exception {
        List<Order> orders = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(sellers);
        try {
            List<Future<Order>> placed = new ArrayList<>();
            for (int i = 0; i < sellers; i++) {
                int seller = i;
                placed.add(pool.submit(() -> placeOrder(seller, TEMPLATES[(seller / 3) % 3], COUNTS[seller % 3])));
            }
            for (Future<Order> order : placed) {
                orders.add(order.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return orders;
    }

    private static Order placeOrder(int seller, String template, int count) {
        BotChat chat = new BotChat(system.telegram, newUserId());
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("Товар №" + seller + ": льняная скатерть 140×180, серо-бежевая, стирается при 40°");
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":" + template);
        chat.send(
                template.equals("SELF")
                        ? "Vertical close-up of a linen tablecloth on a sunny kitchen table, slow camera push-in, seller "
                                + seller
                        : "-");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":" + count);
        int beforeCard = chat.botCount() - 1; // the card is the bot's last message, and the progress message
        chat.press(chat.button("ok:" + draft + ":"));
        return new Order(chat, template, count, beforeCard);
    }

    /**
     * The bot's messages in the order's chat from the confirmation card on that are not videos: the card, which is the
     * progress message, and any other message about the request (there should be none).
     */
    static List<ChatMessage> progressMessages(Order order) {
        return order.chat().botMessagesSince(order.messagesBeforeCard()).stream()
                .filter(m -> !isVideo(m))
                .toList();
    }

    /**
     * Waits (up to {@code within}) until every order is finished, gives a late duplicate two seconds to show up, then
     * checks each chat: the order's videos exactly once, and one progress message, the confirmation card (the seller's
     * photo), reading "done".
     */
    static void assertEveryOrderEndsWithItsVideosUnderOneProgressCard(List<Order> orders, Duration within)
            throws InterruptedException {
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> orders.stream()
                .allMatch(WholeSystemTest::finished));
        Thread.sleep(2000); // room for a duplicate video or message to show up, if there were one
        for (Order order : orders) {
            long seller = order.chat().id();
            assertThat(videos(order.chat())).as("videos of seller %d", seller).hasSize(order.count());
            List<ChatMessage> progress = progressMessages(order);
            assertThat(progress)
                    .as("one \"started\" message for seller %d, the card, edited in place", seller)
                    .hasSize(1);
            assertThat(progress.get(0).kind())
                    .as("the card: the seller's photo")
                    .isEqualTo("photo");
            assertThat(text(progress.get(0))).contains("✅");
        }
    }

    /** Every video arrived and the progress message says the request is done. */
    static boolean finished(Order order) {
        return videos(order.chat()).size() >= order.count()
                && progressMessages(order).stream().anyMatch(m -> text(m).contains("✅"));
    }

    /** The seller's balance as {@code billing} (one of the billing instances) reports it on its internal API. */
    static long balance(ServiceProcess billing, long userId) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(billing.baseUrl() + "/internal/balances/" + userId))
                        .header("X-Internal-Token", INTERNAL_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new JsonObject(answer.body()).getLong("balance");
    }

    static List<ChatMessage> videos(BotChat chat) {
        return chat.botMessages().stream().filter(WholeSystemTest::isVideo).toList();
    }

    static boolean isVideo(ChatMessage message) {
        return message.json().containsKey("video") || message.json().containsKey("document");
    }

    /** The text, or the caption, of a message as it reads now. */
    static String text(ChatMessage message) {
        String text = message.json().getString("text");
        return text != null ? text : String.valueOf(message.json().getString("caption"));
    }
}
