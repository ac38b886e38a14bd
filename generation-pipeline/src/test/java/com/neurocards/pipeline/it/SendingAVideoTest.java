package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.stage.DeliverStage;
import com.neurocards.telegram.SendThrottle;
import com.neurocards.telegram.SendThrottles;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sending a video: the at-most-twice rule (a send whose answer was lost is resent at most once and never refunded; only
 * a send Telegram refused counts as a failure), and the memory budget for videos in flight.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@TestProfile(SendingAVideoProfile.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(value = KieEmulatorResource.class, initArgs = @ResourceArg(name = "renderPolls", value = "0"))
class SendingAVideoTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @Inject
    DeliverStage deliverStage;

    PipelineDriver driver;

    @Inject
    SendThrottles throttles;

    @Inject
    PipelineConfig config;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        telegram.clearFaults();
    }

    @Test
    void anUploadWhoseAnswerIsLostIsSentOnceMoreAndNotRefunded() {
        long user = 7101;
        telegram.dropAnswerNext("sendVideo", 1);
        String requestId = fundOne(user);

        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));

        assertThat(driver.videoSends(user)).extracting(RecordedCall::status).containsExactly(0, 200);
        assertThat(driver.videos(user)).as("the lost one and the resent one").hasSize(2);
        assertThat(mode(requestId)).isEqualTo("VIDEO");
        assertThat(driver.query("SELECT job_id, telegram_file_id FROM pipeline.job WHERE request_id = ?", requestId)
                        .get(requestId + "-1"))
                .isNotNull();
        assertNoFailure();
    }

    @Test
    void twoLostAnswersEndTheJobDeliveredUnconfirmedWithoutAThirdSendOrARefund() throws InterruptedException {
        long user = 7102;
        telegram.dropAnswerNext("sendVideo", 2);
        String requestId = fundOne(user);

        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));

        assertThat(mode(requestId)).isEqualTo("UNCONFIRMED");
        List<GenerationDelivered> delivered = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.addAll(driver.drainDelivered()));
        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.mode()).isEqualTo(DeliveryMode.UNCONFIRMED);
            assertThat(d.telegramFileId()).isNull();
        });
        Thread.sleep(6000); // room for a third send through the 5 s tier, if there were one
        assertThat(driver.videoSends(user)).extracting(RecordedCall::status).containsExactly(0, 0);
        assertThat(driver.videos(user)).as("at most two videos in the chat").hasSize(2);
        assertNoFailure();
    }

    @Test
    void aLostAnswerThenRefusalsUntilTheTriesRunOutStillEndsDeliveredUnconfirmed() {
        long user = 7103;
        telegram.dropAnswerNext("sendVideo", 1);
        String requestId = fundOne(user);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !driver.videoSends(user).isEmpty());
        telegram.failNext("sendVideo", 5, new BotApiError(500, "Internal Server Error", null));

        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));

        assertThat(mode(requestId)).isEqualTo("UNCONFIRMED");
        assertThat(driver.videoSends(user)).extracting(RecordedCall::status).containsExactly(0, 500);
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .as("no generation.failed, so no refund")
                .isZero();
        // the tries ran out: the message is dead-lettered for an operator to see, the job is not failed
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_DELIVER.dlq()))
                .isEqualTo(1);
    }

    @Test
    void aSendTelegramRefusedIsRetriedAndThenFailsTheJobForItsRefund() {
        long user = 7104;
        telegram.failNext("sendVideo", 2, new BotApiError(500, "Internal Server Error", null));
        String requestId = fundOne(user);

        await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(status(requestId)));

        assertThat(driver.videoSends(user)).extracting(RecordedCall::status).containsExactly(500, 500);
        assertThat(driver.videos(user)).isEmpty();
        List<GenerationFailed> failed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> failed.addAll(driver.refundFailedJobs(9)));
        assertThat(failed).singleElement().satisfies(f -> assertThat(f.job().jobId())
                .isEqualTo(requestId + "-1"));
    }

    @Test
    void aSendLeftInFlightByACrashCountsAsOneThatMayHaveReachedTheChat() {
        long user = 7105;
        String requestId = fundOne(user);
        String jobId = requestId + "-1";
        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));
        driver.drainDelivered();
        // as if: the first send's answer was lost, and the consumer of the second crashed while it was sending, longer
        // ago than any upload takes
        assertThat(driver.update(
                        "UPDATE pipeline.job SET status = 'READY', delivery_mode = NULL, telegram_file_id = NULL, "
                                + "delivered_at = NULL, send_attempts = 2, uncertain_sends = 1, "
                                + "send_started_at = now() - interval '10 minutes' WHERE job_id = ?",
                        jobId))
                .isEqualTo(1);
        videoReadyAgain(user, requestId, jobId);

        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(status(requestId)));

        assertThat(mode(requestId)).isEqualTo("UNCONFIRMED");
        assertThat(driver.videoSends(user)).as("no third send").hasSize(1);
        assertNoFailure();
    }

    @Test
    void aSendAnsweredWhoseDeliveryWasNotYetRecordedIsRecordedWithoutASecondSend() {
        long user = 7107;
        String requestId = fundOne(user);
        String jobId = requestId + "-1";
        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));
        driver.drainDelivered();
        String messageId = driver.query("SELECT job_id, telegram_message_id FROM pipeline.job WHERE job_id = ?", jobId)
                .get(jobId);
        // as if: Telegram answered the send and its answer was recorded, then the process was killed before the
        // delivery's own transaction committed
        assertThat(driver.update(
                        "UPDATE pipeline.job SET status = 'READY', delivered_at = NULL, send_started_at = NULL "
                                + "WHERE job_id = ?",
                        jobId))
                .isEqualTo(1);
        videoReadyAgain(user, requestId, jobId);

        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(status(requestId)));

        assertThat(mode(requestId)).isEqualTo("VIDEO");
        assertThat(driver.query("SELECT job_id, telegram_message_id FROM pipeline.job WHERE job_id = ?", jobId)
                        .get(jobId))
                .as("the message Telegram answered with")
                .isEqualTo(messageId);
        assertThat(driver.videoSends(user)).as("no second send").hasSize(1);
        assertThat(driver.videos(user)).as("one video in the chat").hasSize(1);
        List<GenerationDelivered> told = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> told.addAll(driver.drainDelivered()));
        assertThat(told).singleElement().satisfies(d -> assertThat(d.job().jobId())
                .isEqualTo(jobId));
        assertNoFailure();
    }

    @Test
    void aSendAnotherInstanceStartedMomentsAgoIsWaitedForNotMadeBesideIt() {
        long user = 7108;
        String requestId = fundOne(user);
        String jobId = requestId + "-1";
        await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(status(requestId)));
        driver.drainDelivered();
        // as if: another pipeline instance started sending this video a moment ago and lost its broker connection, so
        // the broker handed the video.ready to this instance while that upload goes on
        assertThat(driver.update(
                        "UPDATE pipeline.job SET status = 'READY', delivery_mode = NULL, telegram_file_id = NULL, "
                                + "delivered_at = NULL, send_attempts = 1, uncertain_sends = 0, send_started_at = now() "
                                + "WHERE job_id = ?",
                        jobId))
                .isEqualTo(1);
        videoReadyAgain(user, requestId, jobId);

        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(20))
                .until(() -> driver.broker().messageCount(QueueName.PIPELINE_DELIVER.queueName()) == 0);
        assertThat(driver.videoSends(user))
                .as("no send beside the other instance's")
                .hasSize(1);
        assertThat(status(requestId)).isEqualTo("READY");
        assertThat(driver.query("SELECT job_id, uncertain_sends FROM pipeline.job WHERE job_id = ?", jobId)
                        .get(jobId))
                .as("the other instance's send is not counted as lost")
                .isEqualTo("0");
        // the other instance finishes (its later look finds the job delivered)
        driver.update(
                "UPDATE pipeline.job SET status = 'DELIVERED', delivery_mode = 'VIDEO', send_started_at = NULL, "
                        + "delivered_at = now() WHERE job_id = ?",
                jobId);
        assertNoFailure();
    }

    @Test
    void aNoticeAnEarlierTrySentIsNotSentAgainWhenItsTransactionDidNotCommit() {
        long user = 7109;
        telegram.user(user).sendText("/start"); // the chat exists
        Envelope<GenerationRejected> rejected = Envelope.of(new GenerationRejected(
                "req-told-" + user, user, user, Language.EN, RejectionReason.INSUFFICIENT_CREDITS, 0, 1));
        driver.publish(rejected);
        await().atMost(Duration.ofSeconds(30)).until(() -> notices(user) == 1);
        String eventId = rejected.id().toString();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.query(
                                        "SELECT event_id::text, telegram_message_id FROM pipeline.notice_told "
                                                + "WHERE event_id::text = ?",
                                        eventId)
                                .get(eventId)
                        != null);

        // as if: the first try sent the notice, then its transaction failed (the database connection dropped) and
        // the event came again
        assertThat(driver.update("DELETE FROM pipeline.processed_message WHERE message_id::text = ?", eventId))
                .isEqualTo(1);
        driver.publish(rejected);
        await().pollDelay(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(20))
                .until(() -> driver.broker().messageCount(QueueName.PIPELINE_NOTIFY.queueName()) == 0
                        && driver.query(
                                                "SELECT message_id::text, 1 FROM pipeline.processed_message "
                                                        + "WHERE message_id::text = ?",
                                                eventId)
                                        .get(eventId)
                                != null);

        assertThat(notices(user)).as("the notice once").isEqualTo(1);
    }

    /** The job's video.ready once more, as a redelivery or another instance would have it. */
    private void videoReadyAgain(long user, String requestId, String jobId) {
        String videoUrl = driver.query("SELECT job_id, video_url FROM pipeline.job WHERE job_id = ?", jobId)
                .get(jobId);
        driver.publish(Envelope.of(new VideoReady(
                new JobRef(jobId, requestId, user, user, Language.EN, 1, 1, null), "task", videoUrl, "720p")));
    }

    @Test
    void aNoticeWaitsForItsChatsTurnBeforeItsTransactionNotInsideIt() {
        List<Long> chats = LongStream.rangeClosed(7120, 7127).boxed().toList();
        for (long chat : chats) {
            telegram.user(chat).sendText("/start"); // the chat exists
        }
        // every chat was just pushed back for 1.5 s (less than the pipeline waits in place): its notice waits
        SendThrottle throttle = throttles.throttle(config.bot().maxWait());
        for (long chat : chats) {
            throttle.backOff(chat, Duration.ofMillis(1500)).await().atMost(Duration.ofSeconds(10));
        }
        for (long chat : chats) {
            driver.publish(Envelope.of(new GenerationRejected(
                    "req-wait-" + chat, chat, chat, Language.EN, RejectionReason.INSUFFICIENT_CREDITS, 0, 1)));
        }
        // more chats than the test's four pooled connections: a notice waiting inside its transaction would hold one
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int longestHeld = 0;
        while (System.nanoTime() < deadline) {
            longestHeld = Math.max(
                    longestHeld,
                    Integer.parseInt(driver.query(
                                    "SELECT 'open', count(*)::text FROM pg_stat_activity WHERE datname = current_database()"
                                            + " AND state LIKE 'idle in transaction%' AND clock_timestamp() - xact_start"
                                            + " > make_interval(secs => ?::float8)",
                                    "0.5")
                            .get("open")));
        }
        assertThat(longestHeld)
                .as("transactions open for over half a second while chats wait")
                .isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> chats.stream().allMatch(chat -> notices(chat) == 1));
    }

    private long notices(long chatId) {
        return telegram.botMessages(chatId).stream()
                .filter(m -> "text".equals(m.kind()))
                .count();
    }

    @Test
    void theSameVideoComingAgainWhileItIsBeingSentIsNotSentTwice() {
        long user = 7106;
        // the upload is slow: its answer comes 4 s later
        telegram.delayNext("sendVideo", 1, Duration.ofSeconds(4));
        String requestId = fundOne(user);
        String jobId = requestId + "-1";
        await().atMost(Duration.ofSeconds(60))
                .until(() -> driver.query("SELECT job_id, send_started_at FROM pipeline.job WHERE job_id = ?", jobId)
                                .get(jobId)
                        != null);
        // as the broker does with an unacked message when the connection to its node is lost: the same video.ready
        // again, while the first try is still waiting for Telegram's answer
        videoReadyAgain(user, requestId, jobId);

        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(status(requestId)));
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.PIPELINE_DELIVER.queueName()) == 0);

        assertThat(mode(requestId)).isEqualTo("VIDEO");
        assertThat(driver.videoSends(user)).as("one send").hasSize(1);
        assertThat(driver.videos(user)).as("one video in the chat").hasSize(1);
        assertNoFailure();
    }

    @Test
    void concurrentDeliveriesNeverHoldMoreVideosInMemoryThanTheBudget() {
        List<Long> users = IntStream.rangeClosed(0, 4).mapToObj(i -> 7110L + i).toList();
        // each upload holds its video for a while, so the deliveries overlap
        telegram.delayNext("sendVideo", users.size(), Duration.ofSeconds(2));
        List<String> requests = users.stream().map(this::fundOne).toList();

        await().atMost(Duration.ofSeconds(120))
                .until(() -> requests.stream().allMatch(r -> "DELIVERED".equals(status(r))));

        assertThat(deliverStage.memory().videos()).isEqualTo(2);
        assertThat(deliverStage.memory().peak())
                .as("bytes reserved at once, at most")
                .isPositive()
                .isLessThanOrEqualTo(SendingAVideoProfile.MEMORY_BUDGET);
        assertThat(deliverStage.memory().reserved()).as("all given back").isZero();
        users.forEach(user -> assertThat(driver.videos(user)).hasSize(1));
    }

    private String fundOne(long user) {
        return driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug", 1)
                .payload()
                .request()
                .requestId();
    }

    private String status(String requestId) {
        return driver.jobStatuses(requestId).get(requestId + "-1");
    }

    private String mode(String requestId) {
        return driver.query("SELECT job_id, delivery_mode FROM pipeline.job WHERE request_id = ?", requestId)
                .get(requestId + "-1");
    }

    /** No generation.failed for billing to refund, no job failed, nothing dead-lettered. */
    private void assertNoFailure() {
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .isZero();
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_DELIVER.dlq()))
                .isZero();
    }
}
