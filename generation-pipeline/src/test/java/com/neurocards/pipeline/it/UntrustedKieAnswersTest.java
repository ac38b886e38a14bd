package com.neurocards.pipeline.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.kie.KieRecords;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.web.KieCallbackResource;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline does with KIE answers it must not take on trust: a result URL that points inside (the cloud
 * metadata endpoint, an internal service) fails the video — refunded once, the seller told — and the URL never
 * reaches the seller; a signed callback stamped outside the freshness window is refused; a callback that comes before
 * the pipeline has recorded its task is kept until it has, not dropped.
 */
@QuarkusTest
@TestProfile(UntrustedKieAnswersProfile.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {
            @ResourceArg(name = "renderPolls", value = "0"),
            @ResourceArg(name = "hmacKey", value = UntrustedKieAnswersTest.HMAC_KEY)
        })
class UntrustedKieAnswersTest {

    static final String HMAC_KEY = "whsec-untrusted-answers-test";

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
    }

    @Test
    void aResultPointingAtTheMetadataEndpointOrAnInternalServiceEndsTheJobRefundedWithTheSellerTold() {
        long user = 7101;
        // this very service's port stands for "an internal service on the machine"
        List<String> inside = List.of(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "https://169.254.169.254/latest/meta-data/",
                "https://localhost:" + RestAssured.port + "/q/metrics",
                "http://127.0.0.1:" + RestAssured.port + "/q/health");
        for (String url : inside) {
            kie.scriptNextCreate(KieOutcome.success().withResultUrl(url));
        }
        var funded = driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug", inside.size());
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(40))
                .until(() -> driver.jobStatuses(requestId).size() == inside.size()
                        && driver.jobStatuses(requestId).values().stream().allMatch("FAILED"::equals));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= inside.size());
        // this request's failures: a job the other test left rendering may fail (its task gone with kie.reset())
        // meanwhile
        List<GenerationFailed> failed = ofRequest(driver.refundFailedJobs(10), requestId);

        assertThat(failed).hasSize(inside.size()).allSatisfy(f -> {
            assertThat(f.stage()).isEqualTo(Stage.DELIVER);
            assertThat(f.errorClass()).isEqualTo(ErrorClass.UNKNOWN);
            assertThat(f.reason()).contains("URL was refused");
        });
        assertThat(failed.stream().map(f -> f.job().jobId()).distinct()).hasSize(inside.size());
        // the seller is told once per video, with the refund
        await().atMost(Duration.ofSeconds(20)).until(() -> refundNotices(user).size() == inside.size());
        assertThat(refundNotices(user))
                .allSatisfy(
                        m -> assertThat(m.text()).contains("could not be made").contains("Credits returned: +1"));
        assertThat(driver.videos(user)).isEmpty();
        for (ChatMessage message : telegram.botMessages(user)) {
            String everything = message.json().encode() + message.history();
            assertThat(everything).doesNotContain("169.254", "localhost", "127.0.0.1", "/q/metrics", "/q/health");
        }
        // nothing more for billing: each job was failed (and refunded) once
        assertThat(ofRequest(driver.refundFailedJobs(10), requestId)).isEmpty();
    }

    private static List<GenerationFailed> ofRequest(List<GenerationFailed> failed, String requestId) {
        return failed.stream()
                .filter(f -> requestId.equals(f.job().requestId()))
                .toList();
    }

    @Test
    void aSignedCallbackOutsideTheFreshnessWindowIsRefusedAndAFreshOneIsTakenUp() {
        long user = 7102;
        var funded =
                driver.fund(user, Language.EN, Template.SELF, "Mug", "Slow push-in on the mug [kie:polls=1000]", 1);
        String requestId = funded.payload().request().requestId();
        String jobId = requestId + "-1";
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "SUBMITTED".equals(driver.jobStatuses(requestId).get(jobId)));
        String taskId = driver.query("SELECT job_id, kie_task_id FROM pipeline.job WHERE job_id = ?", jobId)
                .get(jobId);
        // the schedule's first look; the next is a minute later (UntrustedKieAnswersProfile), so any look before
        // then was caused by a callback
        await().atMost(Duration.ofSeconds(15)).until(() -> kie.polls(taskId).size() == 1);
        long now = Instant.now().getEpochSecond();

        // a captured callback replayed ten minutes later, and one stamped ten minutes ahead: signed, but stale
        for (long stamp : List.of(now - 600, now + 600)) {
            callback(taskId, stamp).then().statusCode(401);
        }
        try {
            Thread.sleep(1000); // room for a poll the refused callbacks would have caused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(kie.polls(taskId)).hasSize(1);

        callback(taskId, now - 30).then().statusCode(200);
        await().atMost(Duration.ofSeconds(3)).until(() -> kie.polls(taskId).size() == 2);
    }

    @Test
    void aCallbackThatComesBeforeItsTaskIsRecordedIsTakenUpWhenTheTaskIs() {
        long user = 7103;
        // KIE makes the task at once and its render ends at once, but holds the create's answer 8 s: its callback
        // comes while the submit stage still waits for the task id (8 s leaves room for the test's own steps on a
        // machine as busy as CI's)
        var funded = driver.fund(
                user, Language.EN, Template.SELF, "Mug", "Quick turn of the mug [kie:slow=8s,render=0s]", 1);
        String requestId = funded.payload().request().requestId();
        String jobId = requestId + "-1";
        String taskId = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> kie.creates().stream()
                                .filter(c ->
                                        c.taskId() != null && c.body().encode().contains("Quick turn of the mug"))
                                .map(KieRecords.ReceivedCreate::taskId)
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertThat(driver.jobStatuses(requestId).get(jobId)).isEqualTo("PROMPTED");
        callback(taskId, Instant.now().getEpochSecond()).then().statusCode(200);
        assertThat(driver.jobStatuses(requestId).get(jobId)).isEqualTo("PROMPTED");

        await().atMost(Duration.ofSeconds(15))
                .until(() -> !"PROMPTED".equals(driver.jobStatuses(requestId).get(jobId)));
        // the schedule's first look is 5 s after the task is recorded: a look within 4 s of seeing it recorded came
        // from the remembered callback
        await().atMost(Duration.ofSeconds(4)).until(() -> !kie.polls(taskId).isEmpty());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "DELIVERED".equals(driver.jobStatuses(requestId).get(jobId)));
        assertThat(driver.query(
                        "SELECT kie_task_id, received_at FROM pipeline.early_callback WHERE kie_task_id = ?", taskId))
                .isEmpty();
    }

    /** KIE's callback for the task, signed with the given timestamp. */
    private io.restassured.response.Response callback(String taskId, long timestamp) {
        String body = new JsonObject()
                .put("code", 200)
                .put("msg", "ok")
                .put("data", new JsonObject().put("taskId", taskId).put("task_id", taskId))
                .encode();
        return given().body(body)
                .contentType("application/json")
                .header("X-Webhook-Timestamp", String.valueOf(timestamp))
                .header(
                        "X-Webhook-Signature",
                        KieEmulator.webhookSignature(taskId, String.valueOf(timestamp), HMAC_KEY))
                .post("/kie/callback/" + KieCallbackResource.secret(config));
    }

    private List<ChatMessage> refundNotices(long user) {
        return telegram.botMessages(user).stream()
                .filter(m -> m.text() != null && m.text().contains("Credits returned"))
                .toList();
    }
}
