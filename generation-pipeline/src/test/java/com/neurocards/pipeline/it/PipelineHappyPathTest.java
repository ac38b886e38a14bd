package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieRecords;
import com.neurocards.emulators.llm.InjectLlmEmulator;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmEmulatorResource;
import com.neurocards.emulators.llm.LlmOutcome;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.InlineButton;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given a funded request, the pipeline writes N distinct prompts with the LLM, renders N videos on KIE and delivers
 * each as its own video message with buttons; the user sees exactly one progress message, edited until it says done.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {
            @ResourceArg(name = "renderPolls", value = "1"),
            @ResourceArg(name = "keys", value = "kie-key-a,kie-key-b")
        })
@WithTestResource(LlmEmulatorResource.class)
class PipelineHappyPathTest {

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

    @ParameterizedTest(name = "{0} video(s)")
    @ValueSource(ints = {1, 3, 5})
    void aFundedRequestEndsWithEveryVideoDeliveredAndOneProgressMessageSayingDone(int count) {
        long user = 1000 + count;
        var funded = driver.fund(user, Language.EN, Template.AD, "Ceramic coffee mug with a bamboo lid", null, count);
        String requestId = funded.payload().request().requestId();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> driver.videos(user).size() >= count
                        && driver.jobStatuses(requestId).values().stream().allMatch("DELIVERED"::equals)
                        && driver.progressMessages(user).stream()
                                .anyMatch(m -> m.text().startsWith("✅")));

        // N distinct prompts, written by the LLM in one call, each rendered once from the uploaded photo
        assertThat(llm.requests()).hasSize(1);
        List<KieRecords.ReceivedCreate> creates =
                kie.creates().stream().filter(c -> c.code() == 200).toList();
        assertThat(creates).hasSize(count);
        assertThat(creates.stream().map(c -> c.body().getString("prompt")).distinct())
                .hasSize(count);
        assertThat(creates).allSatisfy(c -> {
            assertThat(c.body().getString("aspectRatio")).isEqualTo("9:16");
            assertThat(c.body().getString("aspect_ratio")).isEqualTo("9:16");
            assertThat(c.body().getBoolean("enableTranslation")).isTrue();
            assertThat(c.body().getJsonArray("imageUrls").getString(0)).startsWith(kie.publicUrl());
        });
        assertThat(kie.uploads()).hasSize(1);
        assertThat(kie.leakedSecrets()).isEmpty();
        assertThat(driver.query("SELECT job_id, prompt_source FROM pipeline.job WHERE request_id = ?", requestId)
                        .values())
                .containsOnly(PromptSource.LLM.name());

        // N videos, each with its caption and buttons
        List<ChatMessage> videos = driver.videos(user);
        assertThat(videos).hasSize(count);
        assertThat(videos).allSatisfy(v -> {
            assertThat(v.caption()).matches("🎬 Video \\d of " + count);
            assertThat(v.buttons())
                    .extracting(InlineButton::callbackData)
                    .contains("menu")
                    .anyMatch(d -> d.startsWith("more:" + requestId + "-"));
            assertThat(v.buttons())
                    .extracting(InlineButton::text)
                    .containsExactly("🔄 Make more with this product", "🏠 Back to menu");
        });

        // exactly one progress message, edited in place, ending "done"
        List<ChatMessage> progress = driver.progressMessages(user);
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).text())
                .startsWith("✅ Generation finished")
                .contains("Sent: " + count + " of " + count);
        assertThat(progress.get(0).editCount()).isGreaterThanOrEqualTo(1);

        // generation.delivered for every job, nothing dead-lettered
        assertThat(driver.broker().drain(QueueName.GATEWAY_UPDATES.queueName()).stream()
                        .filter(m -> "generation.delivered".equals(m.getProps().getType())))
                .hasSize(count);
        for (QueueName q : List.of(
                QueueName.PIPELINE_PROMPT,
                QueueName.PIPELINE_SUBMIT,
                QueueName.PIPELINE_POLL,
                QueueName.PIPELINE_DELIVER,
                QueueName.PIPELINE_NOTIFY)) {
            assertThat(driver.broker().messageCount(q.dlq())).as(q.dlq()).isZero();
        }
        assertThat(driver.query("SELECT job_id, kie_task_id FROM pipeline.job WHERE request_id = ?", requestId))
                .hasSize(count)
                .doesNotContainValue(null);
        Map<String, String> statuses = driver.jobStatuses(requestId);
        assertThat(statuses.values()).containsOnly("DELIVERED");
    }

    @Test
    void anLlmThatKeepsFailingFallsBackToTheBuiltInTemplatesAndNoJobFails() {
        llm.scriptNext(2, LlmOutcome.serverError(503));
        long user = 1100;
        var funded = driver.fund(user, Language.RU, Template.UGC, "Керамическая кружка", null, 2);
        String requestId = funded.payload().request().requestId();

        // the progress message says "done" once generation.delivered has gone through the notify queue, a moment
        // after the jobs are DELIVERED
        await().atMost(Duration.ofSeconds(40))
                .until(() -> driver.jobStatuses(requestId).values().stream()
                                        .filter("DELIVERED"::equals)
                                        .count()
                                == 2
                        && driver.progressMessages(user).stream()
                                .anyMatch(m -> m.text().startsWith("✅")));

        assertThat(llm.requests()).hasSize(2);
        assertThat(driver.query("SELECT job_id, prompt_source FROM pipeline.job WHERE request_id = ?", requestId)
                        .values())
                .containsOnly(PromptSource.TEMPLATE.name());
        assertThat(driver.videos(user))
                .extracting(ChatMessage::caption)
                .containsExactlyInAnyOrder("🎬 Видео 1 из 2", "🎬 Видео 2 из 2");
        assertThat(driver.progressMessages(user)).singleElement().satisfies(m -> assertThat(m.text())
                .startsWith("✅ Генерация завершена"));
    }

    @Test
    void aRequestConfirmedOnItsCardShowsItsProgressOnTheCardAndSendsNoMessageOfItsOwn() {
        long user = 1200;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.EN, Template.UGC, "Ceramic mug", null, 3, card);
        String requestId = funded.payload().request().requestId();
        driver.publish(funded);

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> driver.jobStatuses(requestId).values().stream()
                                        .filter("DELIVERED"::equals)
                                        .count()
                                == 3
                        && PipelineDriver.shown(telegram.message(user, card).orElseThrow())
                                .startsWith("✅"));

        ChatMessage shown = telegram.message(user, card).orElseThrow();
        assertThat(shown.kind()).as("still the card: the seller's photo").isEqualTo("photo");
        assertThat(shown.caption()).startsWith("✅ Generation finished").contains("Sent: 3 of 3");
        assertThat(shown.buttons()).as("no Confirm left on a started card").isEmpty();
        assertThat(shown.editCount()).isGreaterThanOrEqualTo(2);
        assertThat(driver.progressMessages(user))
                .extracting(ChatMessage::messageId)
                .containsExactly(card);
        assertThat(driver.messagesSent(user))
                .as("no progress message sent besides the card")
                .isZero();
        assertThat(driver.videos(user)).hasSize(3);
    }

    @Test
    void aFundedEventHandledAgainAfterACrashLostItsRecordEditsTheCardAgainAndSendsNothing() {
        long user = 1300;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.RU, Template.AD, "Керамическая кружка", null, 2, card);
        String requestId = funded.payload().request().requestId();
        // only the notify queue: the jobs do not move, so the card shows the first state only
        driver.publishTo(QueueName.PIPELINE_NOTIFY, funded);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.query(
                                        "SELECT request_id, last_text FROM pipeline.progress_message "
                                                + "WHERE request_id = ?",
                                        requestId)
                                .get(requestId)
                        != null);
        long captionEdits = captionEdits(user);
        assertThat(PipelineDriver.shown(telegram.message(user, card).orElseThrow()))
                .startsWith("🎬 Генерация запущена");

        // The pipeline was killed after Telegram made the edit and before its transaction committed: nothing of
        // it is recorded, and the broker delivers the same message again.
        driver.execute("DELETE FROM pipeline.progress_message WHERE request_id = ?", requestId);
        driver.execute(
                "DELETE FROM pipeline.processed_message WHERE message_id = ?::uuid",
                funded.id().toString());
        driver.publishTo(QueueName.PIPELINE_NOTIFY, funded);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.query(
                                        "SELECT request_id, message_id FROM pipeline.progress_message "
                                                + "WHERE request_id = ?",
                                        requestId)
                                .get(requestId)
                        != null);

        assertThat(driver.query(
                                "SELECT request_id, message_id FROM pipeline.progress_message WHERE request_id = ?",
                                requestId)
                        .get(requestId))
                .isEqualTo(String.valueOf(card));
        assertThat(captionEdits(user)).as("the card was edited again").isGreaterThan(captionEdits);
        assertThat(driver.messagesSent(user))
                .as("no second \"started\" message")
                .isZero();
        assertThat(driver.progressMessages(user))
                .extracting(ChatMessage::messageId)
                .containsExactly(card);
    }

    @Test
    void aJobsEventRenderedBeforeTheFundedOneAfterACrashStillShowsTheProgressOnTheCard() {
        long user = 1400;
        int card = driver.sendCard(user);
        var funded = driver.funded(user, Language.EN, Template.AD, "Ceramic mug", null, 2, card);
        String requestId = funded.payload().request().requestId();
        // A pipeline killed while rendering generation.funded for the notify stage: the broker gives it back, and
        // meanwhile the jobs move on, so the notify stage first hears of the request from a job's own event.
        driver.publishTo(QueueName.PIPELINE_PROMPT, funded);

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> driver.jobStatuses(requestId).values().stream()
                                        .filter("DELIVERED"::equals)
                                        .count()
                                == 2
                        && PipelineDriver.shown(telegram.message(user, card).orElseThrow())
                                .startsWith("✅"));
        // the funded event's notification comes back last: it edits the card it names, nothing else
        driver.publishTo(QueueName.PIPELINE_NOTIFY, funded);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.query(
                                        "SELECT consumer, message_id::text FROM pipeline.processed_message "
                                                + "WHERE message_id = ?::uuid",
                                        funded.id().toString())
                                .size()
                        == 2); // handled by the prompt stage, then by the notify stage

        assertThat(driver.query(
                        "SELECT message_id::text, on_card::text FROM pipeline.progress_message "
                                + "WHERE request_id = ?",
                        requestId))
                .containsEntry(String.valueOf(card), "true");
        assertThat(driver.messagesSent(user))
                .as("no progress message of the pipeline's own beside the card")
                .isZero();
        assertThat(driver.progressMessages(user))
                .extracting(ChatMessage::messageId)
                .containsExactly(card);
        assertThat(PipelineDriver.shown(telegram.message(user, card).orElseThrow()))
                .startsWith("✅ Generation finished")
                .contains("Sent: 2 of 2");
        assertThat(driver.videos(user)).hasSize(2);
    }

    private long captionEdits(long chatId) {
        return telegram.calls("editMessageCaption").stream()
                .filter(call -> String.valueOf(chatId).equals(call.param("chat_id")))
                .count();
    }
}
