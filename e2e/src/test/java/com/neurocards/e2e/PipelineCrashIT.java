package com.neurocards.e2e;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline process killed with SIGKILL while fifty videos are being submitted and rendered, then started again:
 * every job still ends delivered, none is submitted to KIE twice, none is sent to the seller twice, and credits add up.
 */
class PipelineCrashIT extends WholeSystemTest {

    static final int SELLERS = 10;
    static final int VIDEOS_EACH = 5;

    @Test
    void killedWhileFiftyVideosRenderEveryOneIsDeliveredOnceAndSubmittedOnce() throws Exception {
        int jobs = SELLERS * VIDEOS_EACH;
        // The crash comes while sellers are still confirming and earlier jobs are being submitted and rendered.
        long[] createdBeforeKill = new long[1];
        Thread crash = new Thread(() -> {
            await().atMost(Duration.ofSeconds(180)).until(() -> tasksCreated() >= 8);
            createdBeforeKill[0] = tasksCreated();
            system.pipeline.kill();
            sleep(2000);
            system.pipeline.start();
        }, "pipeline-crash");
        crash.start();

        List<BotChat> sellers = new ArrayList<>();
        for (int i = 0; i < SELLERS; i++) {
            BotChat chat = new BotChat(system.telegram, ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000L));
            chat.send("/start");
            chat.press("gen");
            chat.sendPhoto();
            chat.send("Кожаный кошелёк ручной работы №" + i);
            String draft = chat.button("tpl:").split(":")[1];
            chat.press("tpl:" + draft + ":AD");
            chat.send("-");
            chat.press("cnt:" + draft + ":" + VIDEOS_EACH);
            chat.press("ok:" + draft);
            sellers.add(chat);
        }
        crash.join();

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> sellers.stream().allMatch(chat -> videos(chat).size() >= VIDEOS_EACH));
        Thread.sleep(3000); // room for a duplicate to show up, if there were one

        assertThat(createdBeforeKill[0]).as("killed mid-way").isLessThan(jobs);
        assertThat(tasksCreated()).as("every job submitted to KIE exactly once").isEqualTo(jobs);
        for (BotChat chat : sellers) {
            assertThat(videos(chat)).as("videos sent to seller %d", chat.id()).hasSize(VIDEOS_EACH);
        }
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'")).isEqualTo(SELLERS);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'")).isZero();
        try (Connection connection = system.infra.database().connect(); Statement statement = connection.createStatement();
             ResultSet violations = statement.executeQuery(conservationCheck())) {
            assertThat(violations.next()).as("credit conservation violated").isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Render tasks KIE accepted (creates it refused, e.g. with 429, made no task). */
    private static long tasksCreated() {
        return system.kie.creates().stream().filter(create -> create.code() == 200).count();
    }

    private static List<ChatMessage> videos(BotChat chat) {
        return chat.botMessages().stream().filter(m -> m.json().containsKey("video") || m.json().containsKey("document")).toList();
    }

    /** Billing's shipped conservation query (from billing's jar on the test classpath). */
    static String conservationCheck() throws java.io.IOException {
        try (var in = PipelineCrashIT.class.getClassLoader().getResourceAsStream("sql/conservation-check.sql")) {
            return new String(java.util.Objects.requireNonNull(in, "billing's conservation check").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

}
