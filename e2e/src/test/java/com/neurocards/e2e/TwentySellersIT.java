package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Twenty sellers at once, each through the whole conversation with the real gateway: 1, 3 or 5 videos, UGC, advert
 * or their own prompt. Every video arrives once, every request has exactly one progress message, every balance is
 * exact in billing and in the bot's menu, and no job is left in flight.
 */
@SystemConfiguration({
    // sixty videos: two KIE keys share the creates (each may make ~20 per 10 s), and a render is done at the second
    // look
    "KIE_EMULATOR_KEYS=kie-e2e-key-1,kie-e2e-key-2",
    "KIE_EMULATOR_RENDER_POLLS=1"
})
class TwentySellersIT extends WholeSystemTest {

    static final int SELLERS = 20;
    static final int[] COUNTS = {1, 3, 5};
    static final String[] TEMPLATES = {"UGC", "AD", "SELF"};

    /** One seller's order and how many bot messages came before its confirmation card (the progress message). */
    record Order(BotChat chat, String template, int count, int messagesBeforeCard) {}

    @Test
    void twentySellersGenerateAtOnceAndEveryVideoAndCreditAddsUp() throws Exception {
        List<Order> orders = new ArrayList<>();
        ExecutorService sellers = Executors.newFixedThreadPool(SELLERS);
        try {
            List<Future<Order>> placed = new ArrayList<>();
            for (int i = 0; i < SELLERS; i++) {
                int seller = i;
                placed.add(sellers.submit(() -> order(seller, TEMPLATES[(seller / 3) % 3], COUNTS[seller % 3])));
            }
            for (Future<Order> order : placed) {
                orders.add(order.get());
            }
        } finally {
            sellers.shutdownNow();
        }
        int jobs = orders.stream().mapToInt(Order::count).sum();
        assertThat(orders).extracting(Order::template).contains(TEMPLATES);

        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> orders.stream().allMatch(TwentySellersIT::finished));
        Thread.sleep(2000); // room for a duplicate video or message to show up, if there were one

        for (Order order : orders) {
            long seller = order.chat().id();
            assertThat(videos(order.chat())).as("videos of seller %d", seller).hasSize(order.count());
            List<ChatMessage> progress = order.chat().botMessagesSince(order.messagesBeforeCard()).stream()
                    .filter(m -> !isVideo(m))
                    .toList();
            assertThat(progress)
                    .as("one \"started\" message for seller %d, the card, edited in place", seller)
                    .hasSize(1);
            assertThat(progress.get(0).kind())
                    .as("the card: the seller's photo")
                    .isEqualTo("photo");
            assertThat(text(progress.get(0))).contains("✅");
            long expected = 10 - order.count();
            assertThat(billingBalance(seller))
                    .as("billing's balance of seller %d", seller)
                    .isEqualTo(expected);
            order.chat().send("/start");
            assertThat(order.chat().lastText())
                    .as("the menu of seller %d", seller)
                    .contains("Баланс: " + expected + " кр.");
        }
        assertThat(count("SELECT count(*) FROM pipeline.job")).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status <> 'DELIVERED'"))
                .as("jobs not delivered")
                .isZero();
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(SELLERS);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .isZero();
        assertThat(system.kie.creates().stream()
                        .filter(create -> create.code() == 200)
                        .count())
                .as("render tasks made at KIE: one per video")
                .isEqualTo(jobs);
    }

    private static Order order(int seller, String template, int count) {
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
        chat.press("cnt:" + draft + ":" + count);
        int beforeCard = chat.botCount() - 1; // the card is the bot's last message, and the progress message
        chat.press("ok:" + draft);
        return new Order(chat, template, count, beforeCard);
    }

    private static boolean finished(Order order) {
        return videos(order.chat()).size() >= order.count()
                && order.chat().botMessagesSince(order.messagesBeforeCard()).stream()
                        .filter(m -> !isVideo(m))
                        .anyMatch(m -> text(m).contains("✅"));
    }

    private static long billingBalance(long userId) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(system.billing.baseUrl() + "/internal/balances/" + userId))
                        .header("X-Internal-Token", INTERNAL_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new JsonObject(answer.body()).getLong("balance");
    }
}
