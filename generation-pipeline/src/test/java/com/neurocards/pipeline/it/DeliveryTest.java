package com.neurocards.pipeline.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulatorResource;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.web.KieCallbackResource;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivering to Telegram, with its real flood limits: the pipeline's own spacing keeps a busy chat under them, a 429
 * is waited out, a user who blocked the bot does not cause a loop, big videos go as links; and KIE callbacks.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@TestProfile(RealTelegramLimitsProfile.class)
@WithTestResource(TelegramEmulatorResource.class)
@WithTestResource(value = KieEmulatorResource.class, initArgs = @ResourceArg(name = "renderPolls", value = "0"))
class DeliveryTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @Inject
    PipelineConfig config;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        telegram.clearFaults();
    }

    @Test
    void fiveVideosAndTheirProgressEditsStayUnderTelegramsPerChatLimit() {
        long user = 7005;
        var funded = driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug", 5);
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> driver.jobStatuses(requestId).values().stream()
                                        .filter("DELIVERED"::equals)
                                        .count()
                                == 5
                        && driver.progressMessages(user).stream()
                                .anyMatch(m -> m.text().startsWith("✅")));

        List<RecordedCall> toChat = telegram.calls().stream()
                .filter(c -> String.valueOf(user).equals(c.param("chat_id")))
                .toList();
        assertThat(toChat).hasSizeGreaterThan(6).noneMatch(c -> c.status() == 429);
        assertThat(driver.videos(user)).hasSize(5);
    }

    @Test
    void aChatsVideosGoOneAtATimeWhileAnotherChatsVideoGoesOn() {
        long busy = 7006;
        long other = 7007;
        // the first video's upload takes 25 s: Telegram holds its answer (long enough for the other seller's whole
        // job on a machine as busy as CI's, where the test runs beside another module's)
        telegram.delayNext("sendVideo", 1, Duration.ofSeconds(25));
        var three = driver.fund(busy, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug", 3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.videoSends(busy).size() == 1);
        var one = driver.fund(other, Language.EN, Template.SELF, "Cup", "Slow push-in on the cup", 1);

        // the other seller's video arrives while the busy chat's first upload is still going
        await().atMost(Duration.ofSeconds(22))
                .until(() ->
                        driver.jobStatuses(one.payload().request().requestId()).containsValue("DELIVERED"));
        List<RecordedCall> busySends = driver.videoSends(busy);
        assertThat(busySends).hasSize(1);
        assertThat(busySends.get(0).status())
                .as("the held upload has not been answered yet")
                .isZero();

        // then the busy chat's videos, each sent once its previous upload was answered
        String busyRequest = three.payload().request().requestId();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> driver.jobStatuses(busyRequest).values().stream()
                                .filter("DELIVERED"::equals)
                                .count()
                        == 3);
        assertThat(driver.videoSends(busy)).hasSize(3).allMatch(c -> c.status() == 200);
        assertThat(driver.videos(busy)).hasSize(3);
    }

    @Test
    void aTelegram429OnTheVideoIsWaitedOutThroughTheDelayTierAndTheVideoArrivesOnce() {
        long user = 7001;
        telegram.failNext("sendVideo", 1, BotApiError.tooManyRequests(3));
        var funded = driver.fund(user, Language.RU, Template.SELF, "Кружка", "Slow push-in on the mug", 1);
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(40))
                .until(() -> driver.jobStatuses(requestId).containsValue("DELIVERED"));

        List<RecordedCall> sends = driver.videoSends(user);
        assertThat(sends).hasSize(2);
        assertThat(sends.get(0).status()).isEqualTo(429);
        assertThat(sends.get(1).time() - sends.get(0).time())
                .as("waited at least retry_after")
                .isGreaterThanOrEqualTo(3);
        assertThat(driver.videos(user)).hasSize(1);
        assertThat(driver.videos(user).get(0).caption()).isEqualTo("🎬 Видео 1 из 1");
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_DELIVER.dlq()))
                .isZero();
    }

    @Test
    void aUserWhoBlockedTheBotMakesTheJobUndeliverableWithoutALoop() throws InterruptedException {
        long user = 7002;
        var funded = driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug", 1);
        telegram.user(user).blockBot();
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.jobStatuses(requestId).containsValue("UNDELIVERABLE"));

        assertThat(driver.videoSends(user)).hasSize(1);
        // the job's status and its generation.delivered commit together; the relay publishes the event a moment later
        List<GenerationDelivered> delivered = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.addAll(driver.drainDelivered()));
        Thread.sleep(1000); // room for a second generation.delivered, if there were one
        delivered.addAll(driver.drainDelivered());
        assertThat(delivered)
                .singleElement()
                .extracting(GenerationDelivered::mode)
                .isEqualTo(DeliveryMode.UNDELIVERABLE);
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_DELIVER.dlq()))
                .isZero();
        assertThat(driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()))
                .isZero();
    }

    @Test
    void aVideoOverTelegramsUploadCapIsSentAsALink() {
        long user = 7003;
        var funded = driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug [kie:size=51MB]", 1);
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(40))
                .until(() -> driver.jobStatuses(requestId).containsValue("DELIVERED"));

        assertThat(driver.videoSends(user)).isEmpty();
        assertThat(telegram.botMessages(user)).anySatisfy(m -> assertThat(m.text())
                .startsWith("🎬 Video 1 of 1 is too large")
                .contains(kie.publicUrl() + "/results/"));
    }

    @Test
    void aKieCallbackTriggersAnImmediateLookAndIsOtherwiseOnlyAHint() {
        long user = 7004;
        var funded =
                driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug [kie:polls=1000]", 1);
        String jobId = funded.payload().request().requestId() + "-1";
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUBMITTED"
                .equals(driver.jobStatuses(funded.payload().request().requestId())
                        .get(jobId)));
        String taskId = driver.query("SELECT job_id, kie_task_id FROM pipeline.job WHERE job_id = ?", jobId)
                .get(jobId);
        String body = "{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\"" + taskId + "\"}}";

        given().body(body)
                .contentType("application/json")
                .post("/kie/callback/wrong-secret")
                .then()
                .statusCode(404);
        assertThat(kie.polls(taskId)).isEmpty();

        given().body(body)
                .contentType("application/json")
                .post("/kie/callback/" + KieCallbackResource.secret(config))
                .then()
                .statusCode(200);
        // the first scheduled look is 5 s after submission; the callback's comes at once
        await().atMost(Duration.ofSeconds(3)).until(() -> !kie.polls(taskId).isEmpty());
        assertThat(driver.jobStatuses(funded.payload().request().requestId())).containsEntry(jobId, "SUBMITTED");
    }
}
