package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline process killed with SIGKILL while fifty videos are being submitted and rendered, then started again:
 * every job still ends, delivered or refunded, once; none is submitted to KIE twice, none is sent to the seller twice,
 * and credits add up.
 */
@SystemConfiguration({
    // a create caught by the kill is given up for lost after 2 × (upload + create timeout) = 20 s, not 3 minutes
    "QUARKUS_REST_CLIENT_KIE_READ_TIMEOUT=5000",
    "QUARKUS_REST_CLIENT_KIE_UPLOAD_READ_TIMEOUT=5000"
})
class PipelineCrashIT extends WholeSystemTest {

    static final int SELLERS = 10;
    static final int VIDEOS_EACH = 5;

    @Test
    void killedWhileFiftyVideosRenderEveryJobEndsOnceAndNoneIsSubmittedTwice() throws Exception {
        int jobs = SELLERS * VIDEOS_EACH;
        // The crash comes while sellers are still confirming and earlier jobs are being submitted and rendered.
        long[] createdBeforeKill = new long[1];
        Thread crash = new Thread(
                () -> {
                    await().atMost(Duration.ofSeconds(180)).until(() -> tasksCreated() >= 8);
                    createdBeforeKill[0] = tasksCreated();
                    system.pipeline.kill();
                    sleep(2000);
                    system.pipeline.start();
                },
                "pipeline-crash");
        crash.start();

        List<BotChat> sellers = new ArrayList<>();
        for (int i = 0; i < SELLERS; i++) {
            sellers.add(order("Кожаный кошелёк ручной работы №" + i, "AD", VIDEOS_EACH));
        }
        crash.join();

        // Every job ends, delivered or refunded. A job whose create request was in flight at the kill is refunded,
        // not sent again: KIE may have made its task, and a second create would render and bill it twice.
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() ->
                        delivered(sellers) + count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'")
                                == jobs);
        Thread.sleep(3000); // room for a duplicate to show up, if there were one

        long refunded = count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'");
        assertThat(createdBeforeKill[0]).as("killed mid-way").isLessThan(jobs);
        assertThat(delivered(sellers) + refunded)
                .as("every job ended exactly once")
                .isEqualTo(jobs);
        assertThat(refunded)
                .as("only jobs caught mid-create by the kill are refunded (at most the submit queue's prefetch)")
                .isLessThanOrEqualTo(16);
        assertThat(tasksCreated())
                .as("no job submitted to KIE twice")
                .isLessThanOrEqualTo(jobs)
                .isGreaterThanOrEqualTo(delivered(sellers));
        for (BotChat chat : sellers) {
            assertThat(videos(chat).size())
                    .as("videos sent to seller %d", chat.id())
                    .isLessThanOrEqualTo(VIDEOS_EACH);
        }
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(SELLERS);
        // and credits add up: checked after every end-to-end test (WholeSystemTest)
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
        return system.kie.creates().stream()
                .filter(create -> create.code() == 200)
                .count();
    }

    private static long delivered(List<BotChat> sellers) {
        return sellers.stream().mapToLong(chat -> videos(chat).size()).sum();
    }
}
