package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.pipeline.stage.JobSweeper;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every funded job ends, whatever stage lost it (docs/architecture.md#every-funded-job-ends): the sweeper fails a job
 * in any state past its overall deadline, a job whose work was dead-lettered raises the alarm and is swept at once, the
 * deliver stage never delivers past the deadline, and a job billing's backstop refunded is never delivered after.
 */
@QuarkusTest
@TestProfile(FastFailuresProfile.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {
            @ResourceArg(name = "renderPolls", value = "0"),
            @ResourceArg(name = "keys", value = "kie-key-a,kie-key-b")
        })
class EveryJobEndsTest {

    private static final AtomicLong NEXT_USER = new AtomicLong(7100);

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    JobSweeper sweeper;

    @Inject
    MeterRegistry registry;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
    }

    @Test
    void aPromptedAndAReadyJobPastTheirOverallDeadlineAreFailedAtTheStageTheyWaitedForAndRefunded() throws Exception {
        long user = NEXT_USER.getAndIncrement();
        telegram.user(user);
        JobRef prompted = insertJob(user, "PROMPTED", "now() - interval '1 hour'");
        JobRef ready = insertJob(user, "READY", "now() - interval '1 hour'");
        JobRef inTime = insertJob(user, "PROMPTED", "now() + interval '1 hour'");
        JobRef withinGrace = insertJob(user, "READY", "now() - interval '1 minute'"); // job-grace is 10 min

        sweeper.sweep().await().atMost(Duration.ofSeconds(30));

        assertThat(failure(prompted)).containsEntry("FAILED", "SUBMIT/TIMEOUT");
        assertThat(failure(ready)).containsEntry("FAILED", "DELIVER/TIMEOUT");
        assertThat(status(inTime)).isEqualTo("PROMPTED");
        assertThat(status(withinGrace)).isEqualTo("READY");
        assertThat(driver.query("SELECT job_id, failure_reason FROM pipeline.job WHERE job_id = ?", ready.jobId()))
                .hasEntrySatisfying(ready.jobId(), reason -> assertThat(reason).contains("READY", "overall deadline"));
        sweeper.sweep().await().atMost(Duration.ofSeconds(30)); // a second sweep announces nothing again
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 2);
        List<GenerationFailed> refunded = driver.refundFailedJobs(9);
        assertThat(refunded)
                .extracting(f -> f.job().jobId())
                .containsExactlyInAnyOrder(prompted.jobId(), ready.jobId());
        assertThat(refunded).allSatisfy(f -> assertThat(f.errorClass()).isEqualTo(ErrorClass.TIMEOUT));
    }

    @Test
    void aVideoReadyOnlyAfterTheJobsDeadlineIsNeverDeliveredButFailedAndRefunded() throws Exception {
        long user = NEXT_USER.getAndIncrement();
        telegram.user(user);
        JobRef late = insertJob(user, "READY", "now() - interval '1 second'");

        driver.publish(
                Envelope.of(new VideoReady(late, "veo_task_" + late.jobId(), "http://127.0.0.1:1/v.mp4", "720p")));

        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status(late)));
        assertThat(failure(late)).containsEntry("FAILED", "DELIVER/TIMEOUT");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        assertThat(driver.refundFailedJobs(9))
                .singleElement()
                .satisfies(f -> assertThat(f.job().jobId()).isEqualTo(late.jobId()));
        assertThat(driver.videos(user)).isEmpty();
    }

    @Test
    void aDeadLetterThatLeavesAJobUnendedRaisesTheAlarmAndTheNextSweepFailsAndRefundsIt() throws Exception {
        long user = NEXT_USER.getAndIncrement();
        telegram.user(user);
        JobRef rendering = insertJob(user, "SUBMITTED", "now() + interval '1 hour'");
        JobRef ended = insertJob(user, "FAILED", "now() + interval '1 hour'");
        Envelope<GenerationFunded> neverPrompted = funded(user, 2);
        double alarmsBefore = stranded(QueueName.PIPELINE_POLL) + stranded(QueueName.PIPELINE_PROMPT);

        try (LogCapture logs = new LogCapture()) {
            deadLetter(QueueName.PIPELINE_POLL, Envelope.of(new PollDue(rendering, "veo_task_x", Instant.now(), 3)));
            deadLetter(QueueName.PIPELINE_POLL, Envelope.of(new PollDue(ended, "veo_task_y", Instant.now(), 3)));
            deadLetter(QueueName.PIPELINE_PROMPT, neverPrompted);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stranded(QueueName.PIPELINE_POLL) + stranded(QueueName.PIPELINE_PROMPT)
                            >= alarmsBefore + 3);
            assertThat(logs.lines())
                    .filteredOn(line -> line.message().startsWith("ALARM: job " + rendering.jobId() + " stranded"))
                    .hasSize(1);
            assertThat(logs.lines())
                    .filteredOn(line -> line.message().startsWith("ALARM: job " + ended.jobId()))
                    .isEmpty();
        }
        assertThat(driver.query("SELECT job_id, queue FROM pipeline.stranded_job WHERE job_id = ?", ended.jobId()))
                .isEmpty();

        sweeper.sweep().await().atMost(Duration.ofSeconds(30));

        assertThat(failure(rendering)).containsEntry("FAILED", "POLL/UNKNOWN");
        String requestId = neverPrompted.payload().request().requestId();
        assertThat(driver.query(
                        "SELECT job_id, failed_stage || '/' || error_class FROM pipeline.job WHERE request_id = ?",
                        requestId))
                .containsOnly(
                        Map.entry(requestId + "-1", "PROMPT/UNKNOWN"), Map.entry(requestId + "-2", "PROMPT/UNKNOWN"));
        assertThat(driver.query("SELECT 'n', count(*) FROM pipeline.stranded_job WHERE job_id LIKE ?", "%"))
                .containsEntry("n", "0");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 3);
        assertThat(driver.refundFailedJobs(9))
                .extracting(f -> f.job().jobId())
                .containsExactlyInAnyOrder(rendering.jobId(), requestId + "-1", requestId + "-2");
    }

    @Test
    void aJobBillingRefundedBeforeItEndedIsMarkedFailedAndNeverDelivered() throws Exception {
        long user = NEXT_USER.getAndIncrement();
        telegram.user(user);
        JobRef ready = insertJob(user, "READY", "now() + interval '1 hour'");

        driver.publish(Envelope.of(new CreditsRefunded(ready, 1, 10, ErrorClass.TIMEOUT)));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status(ready)));
        assertThat(failure(ready)).containsEntry("FAILED", "BILLING/TIMEOUT");

        driver.publish(
                Envelope.of(new VideoReady(ready, "veo_task_" + ready.jobId(), "http://127.0.0.1:1/v.mp4", "720p")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> driver.broker().messageCount(QueueName.PIPELINE_DELIVER.queueName()) == 0);
        assertThat(status(ready)).isEqualTo("FAILED");
        assertThat(driver.videos(user)).isEmpty();
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .as("the refund is the announcement: no generation.failed")
                .isZero();
    }

    /** A job of its own request, in {@code status}, with the overall deadline {@code expiresAt} (SQL). */
    private JobRef insertJob(long user, String status, String expiresAt) throws Exception {
        String requestId = UUID.randomUUID().toString();
        JobRef job = new JobRef(requestId + "-1", requestId, user, user, Language.EN, 1, 1, null);
        try (var c = infra.database().connect();
                var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO pipeline.job (job_id, request_id, job_index, total, user_id, chat_id, locale, "
                    + "status, prompt, prompt_source, model, aspect_ratio, kie_task_id, video_url, deadline, expires_at)"
                    + " VALUES ('" + job.jobId() + "', '" + requestId + "', 1, 1, " + user + ", " + user + ", 'en', '"
                    + status + "', 'p', 'USER', 'veo3_fast', '9:16', "
                    + ("PROMPTED".equals(status) ? "NULL" : "'veo_task_" + job.jobId() + "'")
                    + ", 'http://127.0.0.1:1/v.mp4', now() + interval '1 hour', " + expiresAt + ")");
        }
        return job;
    }

    private Envelope<GenerationFunded> funded(long user, int count) {
        String requestId = UUID.randomUUID().toString();
        var request = new com.neurocards.contracts.event.GenerationRequested(
                requestId, user, user, Language.EN, null, "mug", Template.UGC, "-", null, count, "veo3_fast", "9:16");
        return Envelope.of(new GenerationFunded(
                request, List.of(requestId + "-1", requestId + "-2").subList(0, count), count, 10 - count));
    }

    /** What the consumer engine does when it gives up: a copy to the queue's DLQ, with the cause in headers. */
    private void deadLetter(QueueName queue, Envelope<? extends Event> message) {
        Map<String, Object> headers = Map.of(
                Headers.REQUEST_ID, message.correlationId(),
                Headers.ERROR_CLASS, ErrorClass.TEMPORARY.name(),
                Headers.CAUSE, "PgException: the database system is shutting down",
                Headers.STAGE, queue.stage().name(),
                Headers.ORIGINAL_QUEUE, queue.queueName());
        driver.broker()
                .publish(
                        Topology.DEAD_LETTER_EXCHANGE,
                        queue.queueName(),
                        BrokerProbe.json(message.id().toString(), message.type(), headers),
                        EventCodec.encode(message));
    }

    private double stranded(QueueName queue) {
        Counter counter = registry.find("neurocards.pipeline.jobs.stranded")
                .tag("queue", queue.queueName())
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private String status(JobRef job) {
        return driver.query("SELECT job_id, status FROM pipeline.job WHERE job_id = ?", job.jobId())
                .get(job.jobId());
    }

    /** status → failed_stage/error_class */
    private Map<String, String> failure(JobRef job) {
        return driver.query(
                "SELECT status, failed_stage || '/' || error_class FROM pipeline.job WHERE job_id = ?", job.jobId());
    }
}
