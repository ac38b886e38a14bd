package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.kie.KieFunding;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.KieKeyPool.KeyStatus;
import com.neurocards.pipeline.notify.ProgressNotifier;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A KIE 402 means what the balance says (docs/architecture.md#submit-failures): one request refused while the balance
 * is healthy fails alone (BILLING, with the support contact) and every other seller's videos are delivered; when no
 * key can pay, videos wait without using attempts, the seller reads that the video service is being topped up, the
 * admins hear once, and a top-up lets them through; a wait that reaches its limit is refunded.
 */
@QuarkusTest
@TestProfile(KieFundingProfile.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {
            @ResourceArg(name = "renderPolls", value = "0"),
            @ResourceArg(name = "keys", value = "kie-key-a,kie-key-b")
        })
class KieFundingTest {

    private static final AtomicLong NEXT_USER = new AtomicLong(8000);

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @Inject
    KieKeyPool keys;

    @Inject
    KieFunding funding;

    @Inject
    PipelineConfig config;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        telegram.user(KieFundingProfile.ADMIN);
        // keys an earlier test left set aside come back with the (1 s) funding check once the balance is healthy
        await().atMost(Duration.ofSeconds(20)).until(() -> keys.keyIds().stream()
                .map(k -> keys.status(k).await().atMost(Duration.ofSeconds(10)))
                .allMatch(s -> s == KeyStatus.USABLE));
    }

    @Test
    void oneRequestRefusedWith402WhileTheBalancePaysFailsAloneAndEveryOtherSellerGetsTheirVideos() {
        long alarmsBefore = adminMessages("admin.kie.funds.none");
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            healthy.add(fund("Slow push-in on the product", 1));
        }
        long refusedUser = NEXT_USER.get() + 1;
        String refused = fund("Slow push-in on the product [kie:error=402]", 1);

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> healthy.stream().allMatch(r -> "DELIVERED"
                                .equals(driver.jobStatuses(r).get(r + "-1")))
                        && "FAILED".equals(driver.jobStatuses(refused).get(refused + "-1")));

        assertThat(driver.query("SELECT job_id, error_class FROM pipeline.job WHERE job_id = ?", refused + "-1"))
                .containsEntry(refused + "-1", "BILLING");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        List<GenerationFailed> refunds = driver.refundFailedJobs(9);
        assertThat(refunds).singleElement().satisfies(f -> {
            assertThat(f.job().jobId()).isEqualTo(refused + "-1");
            assertThat(f.errorClass()).isEqualTo(ErrorClass.BILLING);
            assertThat(f.stage()).isEqualTo(Stage.SUBMIT);
            assertThat(f.reason()).doesNotContain("kie-key-a", "kie-key-b");
        });
        // its bounded attempts (2), one create each; the keys stayed in rotation all along
        assertThat(kie.creates()).filteredOn(c -> c.code() == 402).hasSize(2);
        assertThat(keys.keyIds())
                .allSatisfy(
                        k -> assertThat(keys.status(k).await().indefinitely()).isEqualTo(KeyStatus.USABLE));
        assertThat(driver.query(
                                "SELECT 'n', count(*) FROM pipeline.kie_key "
                                        + "WHERE (unfunded OR disabled_until > now()) AND key_id <> ?",
                                "")
                        .get("n"))
                .isEqualTo("0");

        // the seller reads why, with the support contact
        String why = ProgressNotifier.TEXTS.get(
                Language.EN,
                "failed.BILLING",
                1,
                1,
                ProgressNotifier.TEXTS.get(Language.EN, "support.contact", KieFundingProfile.SUPPORT));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(telegram.botMessages(refusedUser))
                .filteredOn(m -> m.text() != null && m.text().startsWith(why))
                .hasSize(1));
        assertThat(why).contains(KieFundingProfile.SUPPORT);
        assertThat(adminMessages("admin.kie.funds.none")).as("no funding alarm").isEqualTo(alarmsBefore);
    }

    @Test
    void everyOfferedModelHasAKieCostOfItsOwn() {
        assertThat(VideoModel.values())
                .allSatisfy(model -> assertThat(config.kie().modelCost()).containsKey(model.id()));
        assertThat(funding.cost(VideoModel.VEO3_FAST.id())).isEqualTo(60);
        assertThat(funding.cost(VideoModel.VEO3.id())).isEqualTo(250);
        assertThat(funding.cost(VideoModel.SORA2.id())).isEqualTo(30);
    }

    @Test
    void aSora2Request402WhileTheBalanceCoversASora2CreateFailsAloneAndNoKeyIsSetAside() {
        kie.setCredits(40); // enough for a Sora 2 create (30), not for the default cost (250)
        String refused = fund("Slow push-in on the product [kie:error=402]", 1, VideoModel.SORA2.id());

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "FAILED".equals(driver.jobStatuses(refused).get(refused + "-1")));

        assertThat(driver.query("SELECT job_id, error_class FROM pipeline.job WHERE job_id = ?", refused + "-1"))
                .containsEntry(refused + "-1", "BILLING");
        // the balance was read against Sora 2's cost: the key can pay, so it stays and only the request failed
        assertThat(kie.creates()).filteredOn(c -> c.code() == 402).hasSize(2).allSatisfy(c -> assertThat(c.path())
                .isEqualTo("/api/v1/jobs/createTask"));
        assertThat(keys.keyIds())
                .allSatisfy(
                        k -> assertThat(keys.status(k).await().indefinitely()).isEqualTo(KeyStatus.USABLE));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        assertThat(driver.refundFailedJobs(9)).singleElement().satisfies(f -> assertThat(f.errorClass())
                .isEqualTo(ErrorClass.BILLING));
    }

    @Test
    void whenNoKeyCanPayVideosWaitWithoutUsingAttemptsAndGoOnOnceTheBalanceIsToppedUp() {
        long alarmsBefore = adminMessages("admin.kie.funds.none");
        long backBefore = adminMessages("admin.kie.funds.back");
        kie.setCredits(30); // below a veo3_fast create (60)
        long firstUser = NEXT_USER.get() + 1;
        String first = fund("Slow push-in on the product", 1);
        String second = fund("Slow push-in on the product", 2);

        // the seller reads that the video service is being topped up and their credits are reserved
        String funding = ProgressNotifier.TEXTS.get(Language.EN, "progress.funding");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(driver.progressMessages(firstUser))
                .extracting(ChatMessage::text)
                .anySatisfy(t -> assertThat(t).contains(funding)));
        await().atMost(Duration.ofSeconds(15)).until(() -> adminMessages("admin.kie.funds.none") == alarmsBefore + 1);
        // a few more looks: still waiting, still one alarm, no attempt used, nothing refunded
        await().atMost(Duration.ofSeconds(30)).until(() -> submitRounds(first) >= 3);
        assertThat(adminMessages("admin.kie.funds.none")).isEqualTo(alarmsBefore + 1);
        assertThat(driver.jobStatuses(first)).containsValue("PROMPTED");
        assertThat(driver.jobStatuses(second)).doesNotContainValue("FAILED");
        assertThat(attemptsUsed(first) + attemptsUsed(second))
                .as("no attempt used")
                .isZero();
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .isZero();
        assertThat(kie.creates()).filteredOn(c -> c.code() == 200).isEmpty();

        kie.setCredits(1_000_000);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> List.of(first, second).stream()
                        .allMatch(r -> driver.jobStatuses(r).values().stream().allMatch("DELIVERED"::equals)));
        assertThat(driver.jobStatuses(second)).hasSize(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> adminMessages("admin.kie.funds.back") == backBefore + 1);
        assertThat(adminMessages("admin.kie.funds.none")).isEqualTo(alarmsBefore + 1);
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .isZero();
        assertThat(attemptsUsed(first) + attemptsUsed(second))
                .as("no attempt used")
                .isZero();
    }

    @Test
    void aWaitForATopUpThatReachesItsLimitIsRefundedAsBilling() {
        kie.setCredits(30);
        String request = fund("Slow push-in on the product", 1);
        String jobId = request + "-1";

        // the job's overall deadline is 60 s from its funding: that is how long it waits for a top-up
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "FAILED".equals(driver.jobStatuses(request).get(jobId)));
        assertThat(driver.query(
                                "SELECT job_id, EXTRACT(EPOCH FROM failed_at - created_at)::int FROM pipeline.job "
                                        + "WHERE job_id = ?",
                                jobId)
                        .get(jobId))
                .satisfies(seconds -> assertThat(Integer.parseInt(seconds)).isGreaterThanOrEqualTo(50));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        assertThat(driver.refundFailedJobs(9)).singleElement().satisfies(f -> {
            assertThat(f.job().jobId()).isEqualTo(jobId);
            assertThat(f.errorClass()).isEqualTo(ErrorClass.BILLING);
        });
        assertThat(attemptsUsed(request)).as("the wait used no attempt").isZero();
        assertThat(kie.creates()).filteredOn(c -> c.code() == 200).isEmpty();
    }

    private String fund(String prompt, int count) {
        return fund(prompt, count, VideoModel.DEFAULT.id());
    }

    private String fund(String prompt, int count, String model) {
        long user = NEXT_USER.incrementAndGet();
        Envelope<GenerationFunded> funded =
                driver.fund(user, Language.EN, Template.SELF, "A mug", prompt, count, model);
        return funded.payload().request().requestId();
    }

    /** Admin messages that start like this bundle text. */
    private long adminMessages(String key) {
        String start = ProgressNotifier.TEXTS.get(Language.DEFAULT, key, 0).substring(0, 12);
        return telegram.botMessages(KieFundingProfile.ADMIN).stream()
                .filter(m -> m.text() != null && m.text().startsWith(start))
                .count();
    }

    /** Rounds of a request's submit messages through the delay tiers (journal rows). */
    private long submitRounds(String requestId) {
        return Long.parseLong(driver.query(
                        "SELECT 'n', count(*) FROM pipeline.journal WHERE job_id LIKE ? "
                                + "AND routing_key = 'pipeline.submit'",
                        requestId + "-%")
                .get("n"));
    }

    /** Submit messages of a request that came back as a later attempt (an attempt used). */
    private long attemptsUsed(String requestId) {
        return Long.parseLong(driver.query(
                        "SELECT 'n', count(*) FROM pipeline.journal WHERE job_id LIKE ? "
                                + "AND routing_key = 'pipeline.submit' AND attempt > 1",
                        requestId + "-%")
                .get("n"));
    }
}
