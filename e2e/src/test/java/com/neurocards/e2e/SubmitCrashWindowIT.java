package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.telegram.BotChat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The pipeline killed (SIGKILL) on purpose at each point around a KIE create — the job claimed but the create not yet
 * sent, the create made at KIE but its answer held back, the answer just given, and a few milliseconds later while the
 * task is being recorded — one round per point, each round a new order of three videos. The pipeline may start only
 * one create per key in four seconds, so after every restart submissions keep finding no key free and come back
 * later, the one the kill left claimed among them: none of them may free or take over that claim. Whatever the timing, no job is ever created at KIE
 * twice, every job ends (delivered, or refunded when its create's fate is unknown), and credits add up.
 */
@SystemConfiguration({
    // one create per 4 s: after a restart the round's jobs take turns, and each look of the job the kill left
    // claimed (every 5 s) may find the key taken by another job — the moment that once freed its claim
    "NEUROCARDS_PIPELINE_KIE_CREATES_PER_WINDOW=1", "NEUROCARDS_PIPELINE_KIE_RATE_WINDOW=4s",
    // a create interrupted by the kill is given up for lost after 2 × (upload + request timeout) = 12 s
    "QUARKUS_REST_CLIENT_KIE_READ_TIMEOUT=3000", "QUARKUS_REST_CLIENT_KIE_UPLOAD_READ_TIMEOUT=3000"
})
class SubmitCrashWindowIT extends WholeSystemTest {

    static final int VIDEOS_EACH = 3;

    /** Where, around a create, the pipeline is killed. */
    enum KillPoint {
        /** The job's claim is committed; its create may or may not have left. */
        CLAIMED(null, -1),
        /** KIE made the task and holds its answer back for 1.5 s: the pipeline dies waiting for it. */
        ANSWER_HELD(Duration.ofMillis(1500), 0),
        /** KIE made the task and answered at once; the pipeline dies as the answer arrives. */
        ANSWERED(null, 0),
        /** ... 20 ms later, while the task is being recorded. */
        ANSWERED_20_MS(null, 20),
        /** ... 150 ms later, around the commit of the record. */
        ANSWERED_150_MS(null, 150),
        /** KIE holds its answer for 300 ms: the kill comes in the middle of the call. */
        ANSWER_HELD_SHORT(Duration.ofMillis(300), 100);

        final Duration answerDelay;
        final long killAfterCreateMillis;

        KillPoint(Duration answerDelay, long killAfterCreateMillis) {
            this.answerDelay = answerDelay;
            this.killAfterCreateMillis = killAfterCreateMillis;
        }
    }

    @Test
    void killedAtEveryPointAroundACreateNoJobIsEverCreatedTwice() throws Exception {
        List<BotChat> sellers = new ArrayList<>();
        int jobs = 0;
        for (KillPoint point : KillPoint.values()) {
            if (point.answerDelay != null) {
                system.kie.scriptNextCreate(KieOutcome.slow(point.answerDelay));
            }
            long createdBefore = tasksCreated();
            BotChat seller = order("Керамическая кружка ручной работы №" + sellers.size(), "AD", VIDEOS_EACH);
            sellers.add(seller);
            jobs += VIDEOS_EACH;

            try (Connection db = system.infra.database().connect();
                    PreparedStatement claimed = db.prepareStatement("SELECT 1 FROM pipeline.job WHERE user_id = ? "
                            + "AND submit_started_at IS NOT NULL AND kie_task_id IS NULL AND status = 'PROMPTED'")) {
                claimed.setLong(1, seller.id());
                BooleanSupplier reached =
                        point == KillPoint.CLAIMED ? () -> exists(claimed) : () -> tasksCreated() > createdBefore;
                awaitTight(reached, Duration.ofSeconds(60), point);
            }
            if (point.killAfterCreateMillis > 0) {
                Thread.sleep(point.killAfterCreateMillis);
            }
            system.pipeline.kill();
            system.pipeline.start();

            int expected = jobs;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> endedJobs() == expected);
            assertThat(tasksCreated())
                    .as("after a kill at %s: no job created at KIE twice", point)
                    .isLessThanOrEqualTo(jobs);
        }

        Thread.sleep(3000); // room for a late duplicate to show up, if there were one
        assertThat(tasksCreated()).as("no job created at KIE twice").isLessThanOrEqualTo(jobs);
        long refunded = count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'");
        long delivered = sellers.stream().mapToLong(chat -> videos(chat).size()).sum();
        assertThat(delivered + refunded).as("every job ended exactly once").isEqualTo(jobs);
        assertThat(tasksCreated()).as("every delivered video had its one task").isGreaterThanOrEqualTo(delivered);
        for (BotChat chat : sellers) {
            assertThat(videos(chat).size())
                    .as("videos sent to seller %d", chat.id())
                    .isLessThanOrEqualTo(VIDEOS_EACH);
        }
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(sellers.size());
    }

    /** Polls {@code condition} every millisecond or two: the windows aimed at are a few milliseconds wide. */
    private static void awaitTight(BooleanSupplier condition, Duration timeout, KillPoint point)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the kill point " + point + " was not reached within " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static boolean exists(PreparedStatement query) {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jobs that ended: delivered, or failed (and so refunded). */
    private static long endedJobs() throws SQLException {
        return count("SELECT count(*) FROM pipeline.job WHERE status IN ('DELIVERED', 'UNDELIVERABLE', 'FAILED')");
    }

    /** Render tasks KIE accepted (creates it refused, e.g. with 429, made no task). */
    private static long tasksCreated() {
        return system.kie.creates().stream()
                .filter(create -> create.code() == 200)
                .count();
    }
}
