package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.llm.InjectLlmEmulator;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmEmulatorResource;
import com.neurocards.emulators.llm.LlmOutcome;
import com.neurocards.emulators.llm.LlmRecords;
import com.neurocards.emulators.llm.LlmSettings;
import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prompt writer sees the product: with a vision model the seller's photo goes to the LLM with the description and
 * wishes (a data: URL of the photo Telegram has), and the prompts it writes show it saw it; a model that refuses
 * images, or an LLM that repeats itself, still ends in N distinct prompts and no failed job.
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
class PromptsSeeTheProductTest {

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
        llm.settings().textOnlyModels(LlmSettings.TEXT_ONLY_MODEL);
    }

    @AfterEach
    void restoreTheModel() {
        llm.settings().textOnlyModels(LlmSettings.TEXT_ONLY_MODEL);
    }

    @Test
    void theLlmGetsTheProductPhotoAndItsPromptsShowItSawIt() {
        long user = 5100;
        try (LogCapture logs = new LogCapture()) {
            var funded = driver.fund(user, Language.EN, Template.AD, "Ceramic coffee mug with a bamboo lid", null, 3);
            String requestId = funded.payload().request().requestId();
            awaitDelivered(requestId, 3);

            // one call, the photo Telegram has for the request as a data: URL next to the description
            assertThat(llm.requests()).hasSize(1);
            LlmRecords.ReceivedRequest call = llm.requests().get(0);
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.imageUrls()).singleElement().satisfies(url -> {
                assertThat(url).startsWith("data:image/jpeg;base64,");
                byte[] sent = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
                assertThat(sent)
                        .isEqualTo(telegram.fileBytes(
                                        funded.payload().request().photo().fileId())
                                .orElseThrow());
            });
            assertThat(call.body().encode()).contains("Ceramic coffee mug with a bamboo lid");

            // what the emulator saw in the photo (SampleMedia: blue, 640x800) is in every prompt KIE rendered
            List<String> prompts = renderedPrompts();
            assertThat(prompts).hasSize(3).doesNotHaveDuplicates();
            assertThat(prompts)
                    .allSatisfy(p -> assertThat(p).contains("as in the photo: mostly blue, portrait 640x800"));
            assertThat(sources(requestId)).containsOnly(PromptSource.LLM.name());

            // neither the bot token (in the getFile URL) nor the photo itself is in any log line
            assertThat(logs.lines())
                    .noneMatch(l -> l.message() != null
                            && (l.message().contains(telegram.token())
                                    || l.message().contains("base64,")));
        }
    }

    @Test
    void aPhotoTelegramWillNotGiveMeansTheTextAloneAndNothingLeaks() {
        long user = 5400;
        try (LogCapture logs = new LogCapture()) {
            // the prompt stage's getFile is refused; the submit stage's, later, works
            telegram.failNext(
                    "getFile",
                    1,
                    BotApiError.badRequest("Bad Request: wrong file_id or the file is temporarily unavailable"));
            var funded = driver.fund(user, Language.EN, Template.UGC, "Ceramic mug", null, 2);
            String requestId = funded.payload().request().requestId();
            awaitDelivered(requestId, 2);

            assertThat(llm.requests()).singleElement().satisfies(call -> {
                assertThat(call.status()).isEqualTo(200);
                assertThat(call.imageUrls()).as("text only").isEmpty();
            });
            assertThat(sources(requestId)).containsOnly(PromptSource.LLM.name());
            assertThat(logs.lines())
                    .anyMatch(l -> l.message() != null && l.message().contains("could not be had from Telegram"));
            assertThat(logs.lines())
                    .noneMatch(l -> l.message() != null && l.message().contains(telegram.token()));
        }
    }

    @Test
    void aModelThatRefusesImagesIsAskedAgainWithTheTextAloneAndNoJobFails() {
        llm.settings().textOnlyModels(llm.model());
        long user = 5200;
        var funded = driver.fund(user, Language.RU, Template.UGC, "Керамическая кружка", null, 2);
        String requestId = funded.payload().request().requestId();
        awaitDelivered(requestId, 2);

        assertThat(llm.requests()).hasSize(2);
        assertThat(llm.requests().get(0).status()).as("the image refused").isEqualTo(400);
        assertThat(llm.requests().get(0).imageUrls()).hasSize(1);
        assertThat(llm.requests().get(1).status()).isEqualTo(200);
        assertThat(llm.requests().get(1).imageUrls()).as("text only").isEmpty();
        assertThat(sources(requestId)).containsOnly(PromptSource.LLM.name());
        assertThat(renderedPrompts()).hasSize(2).doesNotHaveDuplicates().noneMatch(p -> p.contains("as in the photo"));
    }

    @Test
    void anLlmThatRepeatsItsPromptsStillGivesNDistinctPrompts() {
        llm.scriptNext(2, LlmOutcome.duplicates());
        long user = 5300;
        var funded = driver.fund(user, Language.EN, Template.AD, "Linen tote bag", null, 3);
        String requestId = funded.payload().request().requestId();
        awaitDelivered(requestId, 3);

        assertThat(llm.requests()).as("asked again once, as attempts allow").hasSize(2);
        assertThat(renderedPrompts()).hasSize(3).doesNotHaveDuplicates();
        assertThat(driver.query(
                        "SELECT prompt_source, count(*) FROM pipeline.job WHERE request_id = ? "
                                + "GROUP BY prompt_source",
                        requestId))
                .containsEntry(PromptSource.LLM.name(), "1")
                .containsEntry(PromptSource.TEMPLATE.name(), "2");
    }

    private void awaitDelivered(String requestId, int count) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> driver.jobStatuses(requestId).values().stream()
                                .filter("DELIVERED"::equals)
                                .count()
                        == count);
    }

    private List<String> renderedPrompts() {
        return kie.creates().stream()
                .filter(c -> c.code() == 200)
                .map(c -> c.body().getString("prompt"))
                .toList();
    }

    private List<String> sources(String requestId) {
        return List.copyOf(
                driver.query("SELECT job_id, prompt_source FROM pipeline.job WHERE request_id = ?", requestId)
                        .values());
    }
}
