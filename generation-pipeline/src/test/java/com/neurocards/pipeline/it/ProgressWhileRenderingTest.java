package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.llm.InjectLlmEmulator;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmEmulatorResource;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one progress message (the confirmation card's caption) says where each video is, and while a video renders —
 * when no event moves the request — how long it has been rendering against the usual render time of its model,
 * refreshed on its own (the test profile looks every second) and edited only when its text changed.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {@ResourceArg(name = "renderPolls", value = "1000")})
@WithTestResource(LlmEmulatorResource.class)
class ProgressWhileRenderingTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @InjectLlmEmulator
    LlmEmulator llm;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        llm.reset();
    }

    @Test
    void theCardShowsEachRenderingVideoWithItsElapsedTimeAgainstItsModelsUsualTime() {
        long user = 6100;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.EN, Template.AD, "Ceramic mug", null, 2, card);
        String requestId = funded.payload().request().requestId();
        driver.publish(funded);

        // both videos render (veo3_fast, the request's model): a line each, with the usual time of veo3_fast
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(caption(user, card))
                .contains("🎥 Video 1: rendering, under a minute so far (usually 1–3 min)")
                .contains("🎥 Video 2: rendering, under a minute so far (usually 1–3 min)"));

        // video 1 has rendered for four minutes on veo3 (Quality): no event comes, yet the card says so
        driver.execute(
                "UPDATE pipeline.job SET submitted_at = now() - interval '4 minutes', model = 'veo3' "
                        + "WHERE job_id = ?",
                requestId + "-1");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(caption(user, card))
                .contains("🎥 Video 1: rendering, 4 min so far (usually 3–5 min)")
                .contains("🎥 Video 2: rendering, under a minute so far (usually 1–3 min)"));

        // and past the usual time, it says that too
        driver.execute(
                "UPDATE pipeline.job SET submitted_at = now() - interval '9 minutes' WHERE job_id = ?",
                requestId + "-1");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(caption(user, card))
                .contains("🎥 Video 1: rendering, 9 min so far — longer than usual (3–5 min)"));

        // nothing changes for a while: looked at every second, edited never
        long edits = captionEdits(user);
        sleep(Duration.ofSeconds(4));
        assertThat(captionEdits(user))
                .as("no edit while the text stays the same")
                .isEqualTo(edits);
        assertThat(driver.progressMessages(user)).extracting(m -> m.messageId()).containsExactly(card);
        assertThat(driver.messagesSent(user))
                .as("nothing sent besides the card")
                .isZero();
    }

    @Test
    void aFailedVideoSaysItsCreditsAreBeingReturnedUntilBillingsRefundArrivesThenThatTheyAre() {
        kie.scriptNextPoll(KieOutcome.contentRejected());
        long user = 6300;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.EN, Template.AD, "Ceramic mug", null, 2, card);
        driver.publish(funded);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(caption(user, card))
                .containsPattern("⚠️ Video [12]: failed, credits are being returned")
                .containsPattern("🎥 Video [12]: rendering"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> driver.broker().messageCount(QueueName.BILLING_REFUND.queueName()) >= 1);
        assertThat(driver.refundFailedJobs(9)).hasSize(1);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(caption(user, card))
                .containsPattern("⚠️ Video [12]: failed, credits returned")
                .doesNotContain("being returned")
                .containsPattern("🎥 Video [12]: rendering"));
    }

    @Test
    void anEditTelegramFindsUnchangedIsTakenAsDone() {
        long user = 6200;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.RU, Template.UGC, "Керамическая кружка", null, 1, card);
        String requestId = funded.payload().request().requestId();
        driver.publish(funded);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(caption(user, card)).contains("🎥 Видео 1: рендерим"));
        String shown = caption(user, card);

        // the record lost what the card says (an edit made just before a crash): the next look edits to the same text
        long edits = captionEdits(user);
        driver.execute(
                "UPDATE pipeline.progress_message SET last_text = 'lost', updated_at = now() - interval '1 minute' "
                        + "WHERE request_id = ?",
                requestId);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> shown.equals(driver.query(
                                "SELECT request_id, last_text FROM pipeline.progress_message WHERE request_id = ?",
                                requestId)
                        .get(requestId)));

        // Telegram said "message is not modified" (the emulator refuses such an edit): recorded as shown, no failure
        assertThat(captionEdits(user)).isGreaterThan(edits);
        assertThat(caption(user, card)).isEqualTo(shown);
        assertThat(driver.broker().messageCount(QueueName.PIPELINE_NOTIFY.dlq()))
                .isZero();
        assertThat(driver.jobStatuses(requestId).values()).containsOnly("SUBMITTED");
    }

    private String caption(long user, int card) {
        return PipelineDriver.shown(telegram.message(user, card).orElseThrow());
    }

    private long captionEdits(long chatId) {
        List<?> calls = telegram.calls("editMessageCaption").stream()
                .filter(call -> String.valueOf(chatId).equals(call.param("chat_id")))
                .toList();
        return calls.size();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
