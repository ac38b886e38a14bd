package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * KIE misbehaving in every way at once, steered per job by {@code [kie:…]} markers in the sellers' own prompts:
 * content rejections, 500s, 429s and timeouts, some that clear on a retry and some that last. Every job ends
 * DELIVERED or REFUNDED as its fault says (two record-info 503s scripted through the emulator's control API hit
 * whichever jobs meet them, and change nothing), each failed job is refunded exactly once and its seller told once, and no
 * video is sent twice.
 */
@SystemConfiguration({
    // renders are done at the second look (5 s); one that never finishes fails by its deadline in half a minute
    "KIE_EMULATOR_RENDER_POLLS=1",
    "NEUROCARDS_PIPELINE_POLL_DEADLINE=30s",
    // a lasting fault gives up after 4 tries (5 s + 15 s + 30 s of waiting) instead of 5
    "NEUROCARDS_MESSAGING_CONSUMERS_MAX_ATTEMPTS=4"
})
class MixedKieFailuresIT extends WholeSystemTest {

    enum Expect {
        DELIVERED,
        REFUNDED
    }

    /** What one seller asks for, and how each of their jobs must end. */
    record Case(String fault, int count, Expect expect) {}

    static final List<Case> CASES = List.of(
            new Case("fail=content", 1, Expect.REFUNDED), // moderation rejects the render
            new Case("fail=content", 3, Expect.REFUNDED), // … all three videos of one request
            new Case("error=500,first=1", 1, Expect.DELIVERED), // create answers code 500 once, then works
            new Case("error=500,first=1", 3, Expect.DELIVERED), // one of three creates answers 500
            new Case("error=500", 1, Expect.REFUNDED), // code 500 on every create: retries run out
            new Case("http=500,first=1", 1, Expect.DELIVERED), // a real HTTP 500, once
            new Case("http=429,first=1", 1, Expect.DELIVERED), // HTTP 429: the key cools down, the job waits
            new Case("error=429,first=1", 1, Expect.DELIVERED), // KIE's envelope 429, once
            new Case("fail=timeout,polls=0,first=1", 1, Expect.DELIVERED), // the render times out at KIE, re-rendered
            new Case("fail=timeout,polls=0", 1, Expect.REFUNDED), // … and again: re-renders run out
            new Case("render=10m", 1, Expect.REFUNDED), // never finishes: our deadline
            new Case("", 1, Expect.DELIVERED)); // a job with no trouble, next to all that

    /** A seller's order and the chat as it was when they confirmed. */
    record Order(Case what, BotChat chat, int messagesBeforeConfirm) {}

    @Test
    void everyJobIsDeliveredOrRefundedOnceAndEverySellerIsToldOncePerFailure() throws Exception {
        // and, whoever's job meets them, the next two record-info looks answer a real HTTP 503 (the control API)
        system.kie.scriptNextPolls(2, KieOutcome.httpError(503));
        List<Order> orders = new ArrayList<>();
        ExecutorService sellers = Executors.newFixedThreadPool(CASES.size());
        try {
            List<Future<Order>> placed = new ArrayList<>();
            for (int i = 0; i < CASES.size(); i++) {
                int seller = i;
                placed.add(sellers.submit(() -> order(seller, CASES.get(seller))));
            }
            for (Future<Order> order : placed) {
                orders.add(order.get());
            }
        } finally {
            sellers.shutdownNow();
        }
        int jobs = CASES.stream().mapToInt(Case::count).sum();

        // Every job ends: a video in the chat or a refund in the ledger.
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() ->
                        orders.stream().mapToLong(o -> videos(o.chat()).size()).sum() + refunds() == jobs);
        Thread.sleep(3000); // room for a duplicate video, refund or message to show up, if there were one

        for (Order order : orders) {
            long seller = order.chat().id();
            int expectedVideos =
                    order.what().expect() == Expect.DELIVERED ? order.what().count() : 0;
            int expectedRefunds = order.what().count() - expectedVideos;
            String fault = "[" + order.what().fault() + "] seller " + seller;
            assertThat(videos(order.chat())).as("videos of %s", fault).hasSize(expectedVideos);
            assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE user_id = ? AND kind = 'REFUND'", seller))
                    .as("refunds of %s", fault)
                    .isEqualTo(expectedRefunds);
            assertThat(failureNotices(order))
                    .as("failure messages to %s", fault)
                    .hasSize(expectedRefunds);
            assertThat(count("SELECT balance FROM billing.account WHERE user_id = ?", seller))
                    .as("balance of %s", fault)
                    .isEqualTo(10 - expectedVideos);
        }
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .as("refunds, one per distinct job")
                .isEqualTo(count("SELECT count(DISTINCT job_id) FROM billing.ledger_entry WHERE kind = 'REFUND'"));
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status NOT IN ('DELIVERED', 'FAILED')"))
                .as("jobs in flight")
                .isZero();
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status = 'DELIVERED'"))
                .isEqualTo(
                        orders.stream().mapToLong(o -> videos(o.chat()).size()).sum());
        // the faults really happened
        assertThat(system.kie.creates()).extracting(create -> create.code()).contains(200, 500, 429);
        assertThat(system.kie.polls()).extracting(poll -> poll.code()).contains(503);
    }

    private static Order order(int seller, Case what) {
        BotChat chat = new BotChat(system.telegram, newUserId());
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("Настольная лампа с тканевым абажуром, E27, высота 45 см");
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":SELF");
        String marker = what.fault().isEmpty() ? "" : " [kie:" + what.fault() + "]";
        chat.send("Seller " + seller + ": a table lamp switches on in a cosy evening room, slow dolly-in" + marker);
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":" + what.count());
        int before = chat.botCount();
        chat.press(chat.button("ok:" + draft + ":"));
        return new Order(what, chat, before);
    }

    /** The messages telling the seller a video failed (each also says what was refunded). */
    private static List<ChatMessage> failureNotices(Order order) {
        return order.chat().botMessagesSince(order.messagesBeforeConfirm()).stream()
                .filter(m -> !isVideo(m) && text(m).startsWith("😔"))
                .toList();
    }

    private static long refunds() throws Exception {
        return count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'");
    }
}
