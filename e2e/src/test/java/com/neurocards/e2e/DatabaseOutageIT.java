package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.QueueName;
import com.neurocards.emulators.telegram.BotChat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database away mid-flight for longer than every infrastructure retry: messages of every service are dead-lettered
 * without their jobs ending. After it returns, every funded job still ends — delivered, or failed and refunded by the
 * pipeline's sweep (stranded jobs at once, the rest by the overall deadline) or by billing's backstop — within the
 * deadline plus a sweep; no video is sent twice, no job refunded twice, and credits add up.
 */
@SystemConfiguration({
    // two rounds of 5 s for our own infrastructure trouble, then a give-up (that cannot fail the job) and a dead letter
    "NEUROCARDS_MESSAGING_CONSUMERS_MAX_INFRASTRUCTURE_ATTEMPTS=2",
    "KIE_EMULATOR_RENDER_POLLS=2",
    "NEUROCARDS_PIPELINE_JOB_DEADLINE=150s",
    "NEUROCARDS_PIPELINE_SWEEP_JOB_GRACE=15s",
    "NEUROCARDS_PIPELINE_SWEEP_INTERVAL=5s",
    "NEUROCARDS_BILLING_REFUND_BACKSTOP_AFTER=200s",
    "NEUROCARDS_BILLING_REFUND_BACKSTOP_INTERVAL=5s"
})
class DatabaseOutageIT extends WholeSystemTest {

    static final int SELLERS = 3;
    static final int VIDEOS_EACH = 3;

    @Test
    void theDatabaseAwayLongerThanEveryRetryEveryFundedJobStillEndsOnce() throws Exception {
        List<BotChat> sellers = new ArrayList<>();
        for (int i = 0; i < SELLERS; i++) {
            sellers.add(order("Керамическая кружка №" + i, "UGC", VIDEOS_EACH));
        }
        int jobs = SELLERS * VIDEOS_EACH;
        await().atMost(Duration.ofMinutes(2)).until(() -> count("SELECT count(*) FROM billing.funded_job") == jobs);

        // mid-flight: some renders made, none delivered yet, or a few
        await().atMost(Duration.ofMinutes(2)).until(() -> system.kie.creates().size() >= 2);
        system.infra.database().refuseConnections();
        Thread.sleep(30_000); // longer than 2 rounds of the 5 s tier, and than a stage's retries
        system.infra.database().allowConnections();

        // every funded job ends: delivered by the pipeline, or refunded
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> count("SELECT count(*) FROM billing.funded_job f LEFT JOIN pipeline.job j"
                                + " ON j.job_id = f.job_id WHERE f.refunded_at IS NULL"
                                + " AND (j.status IS NULL OR j.status NOT IN ('DELIVERED', 'UNDELIVERABLE'))")
                        == 0);
        Thread.sleep(5000); // room for a duplicate to show up, if there were one

        long delivered = count("SELECT count(*) FROM pipeline.job WHERE status = 'DELIVERED'");
        long videosSent =
                sellers.stream().mapToLong(chat -> videos(chat).size()).sum();
        assertThat(videosSent).as("no video sent twice").isEqualTo(delivered);
        for (BotChat chat : sellers) {
            assertThat(videos(chat).size()).isLessThanOrEqualTo(VIDEOS_EACH);
        }
        assertThat(count(
                        "SELECT count(*) FROM pipeline.job WHERE status NOT IN ('DELIVERED','UNDELIVERABLE','FAILED')"))
                .as("no job left on its way")
                .isZero();
        // a delivered job is refunded as well only when billing never heard of the delivery (its dead letter)
        long deliveredAndRefunded = count("SELECT count(*) FROM billing.funded_job f JOIN pipeline.job j"
                + " ON j.job_id = f.job_id WHERE f.refunded_at IS NOT NULL AND j.status = 'DELIVERED'");
        assertThat(deliveredAndRefunded)
                .isLessThanOrEqualTo(system.infra.broker().messageCount(QueueName.BILLING_DELIVERED.dlq()));
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .as("one refund per refunded job")
                .isEqualTo(count("SELECT count(*) FROM billing.funded_job WHERE refunded_at IS NOT NULL"));
        // and credits add up: checked after every end-to-end test (WholeSystemTest)
    }
}
