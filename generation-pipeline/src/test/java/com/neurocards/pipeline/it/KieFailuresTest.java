package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.kie.KieRecords;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.KieKeyPool.KeyStatus;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.pipeline.stage.JobSweeper;
import com.neurocards.telegram.SupportContact;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every KIE failure kind the emulator produces, at submit time and at poll time: the job ends FAILED with the right
 * error class and stage, temporary trouble is retried (and announced) first, the DLQ holds what no rule handles or
 * what exhausted its retries, billing gets exactly one generation.failed per job, and the user gets one message
 * saying why, with the refund.
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
class KieFailuresTest {

    private static final String SORA2 = "sora-2-image-to-video";

    /** Markers of a create whose answer was lost after KIE made the task. */
    private static final Set<String> ANSWER_LOST = Set.of("malformed", "drop");

    /** Every run's sellers are new users (ids below the fixed ones of the single tests, from 6995 up). */
    private static final AtomicLong NEXT_USER = new AtomicLong(5000);

    /** One failure kind: the marker that makes the emulator produce it, and what the pipeline must make of it. */
    record Kind(String marker, ErrorClass errorClass, Stage stage, QueueName dlq, int renders, boolean retried) {}

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    /** The test profile's SUPPORT_CONTACT, named in the failures on our side. */
    @Inject
    SupportContact support;

    @Inject
    KieKeyPool keys;

    @Inject
    JobSweeper sweeper;

    @Inject
    MessagingConfig messaging;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        // every key an earlier test got refused or rate-limited is back in rotation after its (1 s) cool-down: a key
        // that came back in the middle of a test would change what the test sees
        await().atMost(Duration.ofSeconds(5)).until(() -> keys.keyIds().stream()
                .map(this::status)
                .noneMatch(s -> s == KeyStatus.DISABLED || s == KeyStatus.COOLING));
    }

    private KeyStatus status(String keyId) {
        return keys.status(keyId).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void everyFailureAtSubmitAndPollEndsTheJobRightOnceAndTellsTheUserWhy() {
        run(List.of(
                // submit time: envelope errors on veo/generate (HTTP 200, code in the body) and a proxy's HTTP error
                new Kind("error=400", ErrorClass.USER, Stage.SUBMIT, null, 0, false),
                new Kind("error=451", ErrorClass.USER, Stage.SUBMIT, null, 0, false),
                new Kind("error=500", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                new Kind("error=455", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                new Kind("http=503", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                new Kind("error=422", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, false),
                new Kind("error=505", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, false),
                // the task was made but the answer was lost (cut off, or the connection closed): never submitted a
                // second time, not by a retry within the call, not with the other key, not by the stage
                new Kind("malformed", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 1, false),
                new Kind("drop", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 1, false),
                // poll time: asynchronous moderation and generation failures in record-info
                new Kind("fail=content", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=unsafe", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=minor", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=people", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=english", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=flow", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=image", ErrorClass.USER, Stage.POLL, null, 1, false),
                new Kind("fail=internal", ErrorClass.TEMPORARY, Stage.POLL, null, 2, true),
                new Kind("fail=timeout", ErrorClass.TEMPORARY, Stage.POLL, null, 2, true),
                new Kind("fail=generation", ErrorClass.TEMPORARY, Stage.POLL, null, 2, true),
                // a render that never finishes
                new Kind("polls=1000", ErrorClass.TIMEOUT, Stage.POLL, null, 1, false)));
    }

    @Test
    void everyOfferedModelIsCreatedAndPolledOnItsOwnEndpointAndDelivered() {
        Map<VideoModel, String> requests = new HashMap<>();
        for (VideoModel model : VideoModel.values()) {
            long user = NEXT_USER.incrementAndGet();
            String prompt = "Slow push-in on the product, by " + model.id();
            requests.put(
                    model,
                    driver.fund(user, Language.EN, Template.SELF, "A mug", prompt, 1, model.id())
                            .payload()
                            .request()
                            .requestId());
        }

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> requests.values().stream()
                        .allMatch(r -> "DELIVERED".equals(driver.jobStatuses(r).get(r + "-1"))));

        for (VideoModel model : VideoModel.values()) {
            String jobId = requests.get(model) + "-1";
            String taskId = driver.query("SELECT job_id, kie_task_id FROM pipeline.job WHERE job_id = ?", jobId)
                    .get(jobId);
            KieRecords.ReceivedCreate create = kie.creates().stream()
                    .filter(c -> taskId.equals(c.taskId()))
                    .findFirst()
                    .orElseThrow();
            boolean market = model.api() == VideoModel.Api.MARKET;
            assertThat(create.path())
                    .as("%s: create endpoint", model)
                    .isEqualTo(market ? "/api/v1/jobs/createTask" : "/api/v1/veo/generate");
            assertThat(create.body().getString("model")).as("%s: model", model).isEqualTo(model.id());
            if (market) {
                // every required field is sent: KIE fills in no default of its own
                assertThat(create.body().getJsonObject("input").getJsonArray("image_urls"))
                        .hasSize(1);
                assertThat(create.body().getJsonObject("input").getString("aspect_ratio"))
                        .isEqualTo("portrait");
                assertThat(create.body().getJsonObject("input").getString("n_frames"))
                        .isEqualTo("10");
            } else {
                assertThat(create.body().getJsonArray("imageUrls")).hasSize(1);
            }
            assertThat(kie.polls(taskId)).as("%s: looks", model).isNotEmpty().allSatisfy(p -> assertThat(p.path())
                    .isEqualTo(market ? "/api/v1/jobs/recordInfo" : "/api/v1/veo/record-info"));
        }
    }

    @Test
    void everyFailureOfASora2RenderOnKiesMarketApiEndsTheJobRightOnceAndTellsTheUserWhy() {
        run(
                List.of(
                        // createTask: envelope errors (HTTP 200, code in the body), a proxy's HTTP error, a lost answer
                        new Kind("error=400", ErrorClass.USER, Stage.SUBMIT, null, 0, false),
                        new Kind("error=500", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                        new Kind("error=455", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                        new Kind("http=503", ErrorClass.TEMPORARY, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true),
                        new Kind("error=505", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, false),
                        new Kind("malformed", ErrorClass.UNKNOWN, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 1, false),
                        // recordInfo: state "fail" with a string failCode and failMsg
                        new Kind("fail=content", ErrorClass.USER, Stage.POLL, null, 1, false),
                        new Kind("fail=people", ErrorClass.USER, Stage.POLL, null, 1, false),
                        new Kind("fail=flow", ErrorClass.USER, Stage.POLL, null, 1, false),
                        new Kind("fail=image", ErrorClass.USER, Stage.POLL, null, 1, false),
                        new Kind("fail=internal", ErrorClass.TEMPORARY, Stage.POLL, null, 2, true),
                        new Kind("fail=generation", ErrorClass.TEMPORARY, Stage.POLL, null, 2, true),
                        new Kind("polls=1000", ErrorClass.TIMEOUT, Stage.POLL, null, 1, false)),
                SORA2);
        assertThat(kie.creates())
                .as("every create went to Market's createTask, none to Veo")
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.path()).isEqualTo("/api/v1/jobs/createTask"));
        assertThat(kie.polls())
                .as("every look went to Market's recordInfo")
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.path()).isEqualTo("/api/v1/jobs/recordInfo"));
    }

    @Test
    void aSora2RequestKieRefusesWith429IsRetriedAsARateLimitAndThenFails() {
        run(
                List.of(new Kind("error=429", ErrorClass.RATE_LIMIT, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)),
                SORA2);
        assertThat(kie.creates()).filteredOn(c -> c.code() == 429).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void aSora2RequestKieRefusesWith402WhileTheBalancePaysFailsAsBillingAndTheKeysStay() {
        run(
                List.of(new Kind("error=402", ErrorClass.BILLING, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)),
                SORA2);
        assertThat(kie.creates()).filteredOn(c -> c.code() == 402).hasSize(2);
        assertThat(keys.keyIds()).allSatisfy(k -> assertThat(status(k)).isEqualTo(KeyStatus.USABLE));
    }

    @Test
    void aRequestKieRefusesWith402WhileTheBalancePaysFailsAsBillingAndTheKeysStay() {
        run(List.of(new Kind("error=402", ErrorClass.BILLING, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)));
        // one create per attempt (2): the balance says the key can pay, so no other key is tried and none is set aside
        assertThat(kie.creates()).filteredOn(c -> c.code() == 402).hasSize(2);
        assertThat(keys.keyIds()).allSatisfy(k -> assertThat(status(k)).isEqualTo(KeyStatus.USABLE));
    }

    @Test
    void aSubKeyCapIsBilling() {
        run(List.of(new Kind("error=433", ErrorClass.BILLING, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)));
    }

    @Test
    void refusedCredentialsAreAuth() {
        run(List.of(new Kind("error=401", ErrorClass.AUTH, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)));
    }

    @Test
    void aRateLimitedCreateCoolsTheKeyRetriesAndIsNotHammered() {
        run(List.of(new Kind("error=429", ErrorClass.RATE_LIMIT, Stage.SUBMIT, QueueName.PIPELINE_SUBMIT, 0, true)));
        // one create per key per try: 2 tries x 2 keys
        assertThat(kie.creates()).filteredOn(c -> c.code() == 429).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void recordInfoErrorsAreRetriedThenTheJobFails() {
        kie.scriptNextPolls(2, KieOutcome.envelopeError(500));
        run(List.of(new Kind("", ErrorClass.TEMPORARY, Stage.POLL, QueueName.PIPELINE_POLL, 1, true)));
    }

    @Test
    void aLookWhoseConnectionBrokeIsAskedAgainAtOnceWithoutUsingAnAttempt() {
        kie.scriptNextPolls(1, KieOutcome.dropped());
        long user = 6996;
        Envelope<GenerationFunded> funded = driver.fund(user, Language.EN, Template.SELF, "A mug", "Slow push-in", 1);
        String requestId = funded.payload().request().requestId();
        String jobId = requestId + "-1";

        await().atMost(Duration.ofSeconds(40))
                .until(() -> "DELIVERED".equals(driver.jobStatuses(requestId).get(jobId)));
        String taskId = driver.query("SELECT job_id, kie_task_id FROM pipeline.job WHERE job_id = ?", jobId)
                .get(jobId);
        assertThat(kie.polls(taskId))
                .extracting(KieRecords.ReceivedPoll::state)
                .first()
                .isEqualTo("DROPPED");
        assertThat(kie.polls(taskId)).hasSize(2);
        assertThat(driver.journalCount(requestId, "generation.retrying")).isZero();
    }

    @Test
    void aTaskKieNoLongerKnowsEndsAtOnce() {
        kie.scriptNextPolls(1, KieOutcome.envelopeError(422, "record is null"));
        run(List.of(new Kind("", ErrorClass.UNKNOWN, Stage.POLL, null, 1, false)));
    }

    @Test
    void aSubmissionInterruptedAfterItMayHaveReachedKieIsNeverSentAgain() throws Exception {
        JobRef job = promptedJobClaimedAt(6998, "interrupted", "now() - interval '1 hour'");
        String requestId = job.requestId();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> "FAILED".equals(driver.jobStatuses(requestId).get(job.jobId())));
        assertThat(driver.query("SELECT job_id, error_class FROM pipeline.job WHERE job_id = ?", job.jobId()))
                .containsEntry(job.jobId(), "UNKNOWN");
        assertThat(kie.creates()).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.PIPELINE_SUBMIT.dlq()) == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) == 1);
    }

    @Test
    void aSubmissionWaitingForAnotherOneInFlightUsesNoAttemptAndEndsQuietlyWhenThatOneSucceeds() throws Exception {
        // another submission of this job left just now and has not come back yet
        JobRef job = promptedJobClaimedAt(6997, "claimed", "now()");
        String requestId = job.requestId();

        // it waits round the 5 s tier more often than it has attempts, each time as attempt 1
        await().atMost(Duration.ofSeconds(40))
                .until(() ->
                        submitRounds(job.jobId(), "") > messaging.consumers().maxAttempts());
        assertThat(submitRounds(job.jobId(), " AND attempt > 1"))
                .as("no attempt used")
                .isZero();
        assertThat(driver.jobStatuses(requestId).get(job.jobId())).isEqualTo("PROMPTED");

        // the other submission comes back with its task: the waiting message ends without a second create
        otherSubmissionCameBackWith(job, "veo_task_other");
        Thread.sleep(7_000); // a further round, if the message were still circling, would show in the journal
        long settled = submitRounds(job.jobId(), "");
        Thread.sleep(7_000);
        assertThat(submitRounds(job.jobId(), "")).as("settled").isEqualTo(settled);
        assertThat(kie.creates()).isEmpty();
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_SUBMIT.dlq()))
                .isZero();
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .isZero();
        assertThat(driver.jobStatuses(requestId).get(job.jobId())).isEqualTo("SUBMITTED");
    }

    @Test
    void aSubmissionThatFindsNoKeyFreeLeavesAnotherSubmissionsClaimAlone() throws Exception {
        // Another submission of this job (in a process that was then killed, say) sent its create just now: KIE may
        // have the task. This delivery then finds every key's create window full and gives up before claiming.
        // fill both keys' create windows
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            while (keys.acquire().await().indefinitely().leased().isPresent()) {
                // take every create a key has left
            }
            return keys.keyIds().stream().map(this::status).allMatch(s -> s == KeyStatus.BUSY);
        });
        JobRef job = promptedJobClaimedAt(6995, "no-key", "now()");

        // the try without a key waits for a window with room (our own limiter: pacing, no attempt used), the next
        // look finds a key and asks for the claim, which is held: it waits (5 s tier), still as attempt 1
        await().atMost(Duration.ofSeconds(45)).until(() -> submitRounds(job.jobId(), "") > 1);
        await().atMost(Duration.ofSeconds(45)).until(() -> submitRounds(job.jobId(), "") > 2);
        assertThat(submitRounds(job.jobId(), " AND attempt > 1"))
                .as("waiting for a key is pacing: no attempt used")
                .isZero();

        assertThat(driver.query("SELECT job_id, submit_claim_id FROM pipeline.job WHERE job_id = ?", job.jobId()))
                .as("the other submission still holds its claim")
                .containsEntry(job.jobId(), "other-submission");
        assertThat(kie.creates()).as("nothing created a second time").isEmpty();

        // the other submission comes back with its task: the waiting message ends quietly
        otherSubmissionCameBackWith(job, "veo_task_no_key");
        assertThat(kie.creates()).isEmpty();
    }

    /**
     * A new request's one job for {@code user}, PROMPTED, whose submission claim was taken at {@code claimedAt} (SQL) by
     * a submission not yet back; its {@code prompt.built} is then published.
     */
    private JobRef promptedJobClaimedAt(long user, String requestPrefix, String claimedAt) throws Exception {
        Photo photo = driver.photoFrom(user);
        String requestId = requestPrefix + "-" + System.nanoTime();
        JobRef job = new JobRef(requestId + "-1", requestId, user, user, Language.EN, 1, 1, photo);
        insertPromptedJobClaimedAt(job, claimedAt);
        driver.publish(Envelope.of(new PromptBuilt(job, "Slow push-in", PromptSource.USER, "veo3_fast", "9:16")));
        return job;
    }

    /** The other submission recorded its task: the job is SUBMITTED; waits for the waiting message's next look. */
    private void otherSubmissionCameBackWith(JobRef job, String taskId) throws Exception {
        try (var c = infra.database().connect();
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE pipeline.job SET status = 'SUBMITTED', kie_task_id = '" + taskId + "', "
                    + "deadline = now() + interval '1 hour' WHERE job_id = '" + job.jobId() + "'");
        }
        long seen = submitRounds(job.jobId(), "");
        await().atMost(Duration.ofSeconds(15)).until(() -> submitRounds(job.jobId(), "") > seen);
    }

    /** A PROMPTED job whose submission claim was taken at {@code claimedAt} (SQL) by a submission not yet back. */
    private void insertPromptedJobClaimedAt(JobRef job, String claimedAt) throws Exception {
        try (var c = infra.database().connect();
                var s = c.createStatement()) {
            s.executeUpdate(
                    "INSERT INTO pipeline.job (job_id, request_id, job_index, total, user_id, chat_id, locale, status, "
                            + "prompt, prompt_source, model, aspect_ratio, submit_started_at, submit_claim_id) VALUES ('"
                            + job.jobId()
                            + "', '" + job.requestId() + "', 1, 1, " + job.userId() + ", " + job.chatId()
                            + ", 'en', 'PROMPTED', 'p', "
                            + "'USER', 'veo3_fast', '9:16', " + claimedAt + ", 'other-submission')");
        }
    }

    /** How often a job's message came back to {@code pipeline.submit} through a delay tier (journal rows). */
    private long submitRounds(String jobId, String andWhere) {
        return Long.parseLong(driver.query(
                        "SELECT 'n', count(*) FROM pipeline.journal WHERE job_id = ? "
                                + "AND routing_key = 'pipeline.submit'" + andWhere,
                        jobId)
                .get("n"));
    }

    @Test
    void aRenderThatOutlivedItsDeadlineUnnoticedIsSweptAndRefunded() throws Exception {
        long user = 6999;
        telegram.user(user);
        String jobId = "lost-request-1";
        try (var c = infra.database().connect();
                var s = c.createStatement()) {
            s.executeUpdate(
                    "INSERT INTO pipeline.job (job_id, request_id, job_index, total, user_id, chat_id, locale, status, "
                            + "prompt, prompt_source, model, aspect_ratio, kie_task_id, deadline) VALUES ('" + jobId
                            + "', 'lost-request', 1, 1, " + user + ", " + user
                            + ", 'en', 'SUBMITTED', 'p', 'USER', 'veo3_fast', "
                            + "'9:16', 'veo_task_lost', now() - interval '1 hour')");
        }

        assertThat(sweeper.sweep().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);
        assertThat(sweeper.sweep().await().atMost(Duration.ofSeconds(10))).isZero();

        assertThat(driver.query("SELECT job_id, error_class FROM pipeline.job WHERE job_id = ?", jobId))
                .containsEntry(jobId, "TIMEOUT");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        assertThat(driver.refundFailedJobs(9)).singleElement().satisfies(f -> {
            assertThat(f.job().jobId()).isEqualTo(jobId);
            assertThat(f.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
        });
    }

    private void run(List<Kind> kinds) {
        run(kinds, "veo3_fast");
    }

    private void run(List<Kind> kinds, String model) {
        Map<String, Kind> byRequest = new HashMap<>();
        Map<String, Long> users = new HashMap<>();
        for (Kind kind : kinds) {
            long user = NEXT_USER.incrementAndGet();
            String prompt =
                    "Slow push-in on the product" + (kind.marker().isEmpty() ? "" : " [kie:" + kind.marker() + "]");
            Envelope<GenerationFunded> funded =
                    driver.fund(user, Language.EN, Template.SELF, "A mug", prompt, 1, model);
            byRequest.put(funded.payload().request().requestId(), kind);
            users.put(funded.payload().request().requestId(), user);
        }

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> byRequest.keySet().stream()
                        .allMatch(r -> driver.jobStatuses(r).values().stream().allMatch("FAILED"::equals)
                                && !driver.jobStatuses(r).isEmpty()));

        // give-ups publish generation.failed before dead-lettering: wait until every DLQ copy is there too
        long expectedDead = kinds.stream().filter(k -> k.dlq() != null).count();
        Map<String, String> deadLetters = new HashMap<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (QueueName q : List.of(QueueName.PIPELINE_SUBMIT, QueueName.PIPELINE_POLL)) {
                for (GetResponse m : driver.broker().drain(q.dlq())) {
                    Object job = m.getProps().getHeaders().get(Headers.JOB_ID);
                    if (job == null || !byRequest.containsKey(job.toString().replaceFirst("-1$", ""))) {
                        continue; // not one of this run's jobs
                    }
                    deadLetters.put(
                            q.queueName() + "|" + m.getProps().getHeaders().get(Headers.JOB_ID),
                            String.valueOf(m.getProps().getHeaders().get(Headers.ERROR_CLASS)));
                }
            }
            assertThat(deadLetters).hasSize((int) expectedDead);
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= kinds.size());
        List<GenerationFailed> refunds = driver.refundFailedJobs(9);

        for (Map.Entry<String, Kind> entry : byRequest.entrySet()) {
            String requestId = entry.getKey();
            Kind kind = entry.getValue();
            String jobId = requestId + "-1";
            List<GenerationFailed> mine =
                    refunds.stream().filter(f -> f.job().jobId().equals(jobId)).toList();
            assertThat(mine)
                    .as("%s: generation.failed for billing", kind.marker())
                    .hasSize(1);
            GenerationFailed failed = mine.get(0);
            assertThat(failed.errorClass()).as("%s: error class", kind.marker()).isEqualTo(kind.errorClass());
            assertThat(failed.stage()).as("%s: stage", kind.marker()).isEqualTo(kind.stage());
            assertThat(failed.reason()).doesNotContain("kie-key-a", "kie-key-b", telegram.token());
            if (ANSWER_LOST.contains(kind.marker())) {
                assertThat(failed.reason()).as("%s: reason", kind.marker()).contains("not sent again");
            }
            if (kind.stage() == Stage.SUBMIT && kind.errorClass() != ErrorClass.USER) {
                // a create that may hide a task keeps the job claimed; one that certainly made none frees it
                assertThat(driver.query(
                                "SELECT job_id, CASE WHEN submit_started_at IS NULL THEN 'released' ELSE 'held' END "
                                        + "FROM pipeline.job WHERE job_id = ?",
                                jobId))
                        .as("%s: submission claim", kind.marker())
                        .containsEntry(jobId, ANSWER_LOST.contains(kind.marker()) ? "held" : "released");
            }

            if (kind.dlq() != null) {
                assertThat(deadLetters)
                        .as("%s: DLQ", kind.marker())
                        .containsEntry(
                                kind.dlq().queueName() + "|" + jobId,
                                // retried as TEMPORARY, failed as what the refusal was
                                kind.errorClass() == ErrorClass.BILLING || kind.errorClass() == ErrorClass.AUTH
                                        ? ErrorClass.TEMPORARY.name()
                                        : kind.errorClass() == ErrorClass.RATE_LIMIT
                                                ? ErrorClass.RATE_LIMIT.name()
                                                : kind.errorClass().name());
            } else {
                assertThat(deadLetters.keySet())
                        .as("%s: no DLQ", kind.marker())
                        .noneMatch(k -> k.endsWith("|" + jobId));
            }
            if (!kind.marker().isEmpty()) {
                long renders = kie.creates().stream()
                        .filter(c -> c.code() == 200 && promptOf(c).contains("[kie:" + kind.marker() + "]"))
                        .count();
                assertThat(renders).as("%s: KIE tasks created", kind.marker()).isEqualTo(kind.renders());
            }
            // the event journal stored every event that crossed the broker
            if (kind.retried()) {
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(driver.journalCount(requestId, "generation.retrying"))
                                .as("%s: generation.retrying", kind.marker())
                                .isPositive());
            } else {
                assertThat(driver.journalCount(requestId, "generation.retrying"))
                        .as("%s: generation.retrying", kind.marker())
                        .isZero();
            }
        }

        // the user reads one message saying why, with the refund and the new balance
        for (Map.Entry<String, Kind> entry : byRequest.entrySet()) {
            long chat = users.get(entry.getKey());
            String why = ProgressNotifier.TEXTS.get(
                    Language.EN,
                    "failed." + entry.getValue().errorClass().name(),
                    1,
                    1,
                    ProgressNotifier.TEXTS.get(
                            Language.EN, "support.contact", support.contact().orElseThrow()));
            // Each chat's sends are spaced (about one a second) and the progress edits of the job's last events come
            // first; on a loaded machine a send that would wait longer than the stage may hold it is paced through a
            // delay tier. What counts is the one notice, not how soon it comes.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(telegram.botMessages(chat))
                    .as("%s: failure notice", entry.getValue().marker())
                    .filteredOn(m -> m.text() != null && m.text().startsWith(why))
                    .hasSize(1)
                    .allSatisfy(m -> assertThat(m.text()).contains("Balance: 9")));
            assertThat(driver.progressMessages(chat)).hasSize(1);
        }
    }

    /** The prompt of a create: Veo's {@code prompt}, Market's {@code input.prompt}. */
    private static String promptOf(KieRecords.ReceivedCreate create) {
        String veo = create.body().getString("prompt");
        return veo != null ? veo : create.body().getJsonObject("input").getString("prompt");
    }
}
