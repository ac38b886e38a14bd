package com.neurocards.pipeline.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.stage.PromptWriter;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PromptWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static GenerationRequested request(Template template, int count, String customPrompt) {
        return new GenerationRequested(
                "req-1",
                1L,
                1L,
                Language.RU,
                new Photo("f", "u"),
                "Керамическая кружка",
                template,
                "-",
                customPrompt,
                count,
                "veo3_fast",
                "9:16");
    }

    private static List<WrittenPrompt> write(PromptWriter writer, GenerationRequested request) {
        return writer.write(request).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void withoutAnLlmTheTemplatesWriteDistinctPrompts() {
        PromptWriter writer = new PromptWriter(null, new PromptLibrary(), 2);
        List<WrittenPrompt> prompts = write(writer, request(Template.AD, 5, null));
        assertThat(prompts)
                .hasSize(5)
                .allMatch(p -> p.source() == PromptSource.TEMPLATE)
                .allMatch(p -> p.text().contains("Керамическая кружка"));
        assertThat(prompts.stream().map(WrittenPrompt::text).distinct()).hasSize(5);
    }

    @Test
    void selfUsesTheSellersPromptAsGiven() {
        PromptWriter writer = new PromptWriter(null, new PromptLibrary(), 2);
        assertThat(write(writer, request(Template.SELF, 3, "My own prompt")))
                .containsOnly(new WrittenPrompt("My own prompt", PromptSource.USER));
    }

    @Test
    void anUnreachableLlmIsTriedAsOftenAsAllowedThenTheTemplatesWrite() {
        AtomicInteger calls = new AtomicInteger();
        PromptWriter.Llm dead = (system, user, image, n) -> {
            calls.incrementAndGet();
            return Uni.createFrom()
                    .failure(new LlmException(ErrorClassifier.network("LLM", new IOException("Connection refused"))));
        };
        List<WrittenPrompt> prompts =
                write(new PromptWriter(dead, new PromptLibrary(), 2), request(Template.UGC, 3, null));
        assertThat(prompts).hasSize(3).allMatch(p -> p.source() == PromptSource.TEMPLATE);
        assertThat(calls).hasValue(2);
    }

    @Test
    void promptsThatAreNotDistinctAreAskedForAgain() {
        AtomicInteger calls = new AtomicInteger();
        PromptWriter.Llm llm = (system, user, image, n) ->
                Uni.createFrom().item(calls.incrementAndGet() == 1 ? List.of("Same", "same") : List.of("One", "Two"));
        List<WrittenPrompt> prompts =
                write(new PromptWriter(llm, new PromptLibrary(), 2), request(Template.AD, 2, null));
        assertThat(prompts).extracting(WrittenPrompt::text).containsExactly("One", "Two");
        assertThat(prompts).allMatch(p -> p.source() == PromptSource.LLM);
    }

    @Test
    void promptsStillRepeatedAfterTheLastAttemptKeepTheDistinctOnesAndTheTemplatesFillTheRest() {
        AtomicInteger calls = new AtomicInteger();
        PromptWriter.Llm llm = (system, user, image, n) -> {
            calls.incrementAndGet();
            return Uni.createFrom().item(List.of("Slow orbit", "slow  ORBIT", "Macro shot", "Slow orbit"));
        };
        List<WrittenPrompt> prompts =
                write(new PromptWriter(llm, new PromptLibrary(), 2), request(Template.AD, 4, null));
        assertThat(calls).hasValue(2);
        assertThat(prompts).hasSize(4);
        assertThat(prompts.subList(0, 2))
                .containsExactly(
                        new WrittenPrompt("Slow orbit", PromptSource.LLM),
                        new WrittenPrompt("Macro shot", PromptSource.LLM));
        assertThat(prompts.subList(2, 4)).allMatch(p -> p.source() == PromptSource.TEMPLATE);
        assertThat(prompts.stream()
                        .map(p -> p.text().toLowerCase().replaceAll("\\s+", " "))
                        .distinct())
                .hasSize(4);
    }

    @Test
    void theTemplatesAloneAreDistinctForManyVideos() {
        for (Template t : List.of(Template.AD, Template.UGC)) {
            List<WrittenPrompt> prompts = write(new PromptWriter(null, new PromptLibrary(), 2), request(t, 20, null));
            assertThat(prompts.stream().map(WrittenPrompt::text).distinct()).hasSize(20);
        }
    }

    @Test
    void thePhotoGoesWithTheFirstAttemptAndIsGivenBackWhenTheWritingEnds() {
        List<String> images = new ArrayList<>();
        List<String> users = new ArrayList<>();
        PromptWriter.Llm llm = (system, user, image, n) -> {
            images.add(image);
            users.add(user);
            return Uni.createFrom().item(List.of("One", "Two"));
        };
        AtomicInteger released = new AtomicInteger();
        PromptWriter.Photos photos = (requestId, photo) -> Uni.createFrom()
                .item(new ProductPhotos.Shown("data:image/jpeg;base64,AAAA", released::incrementAndGet));
        List<WrittenPrompt> prompts =
                write(new PromptWriter(llm, photos, new PromptLibrary(), 2), request(Template.AD, 2, null));
        assertThat(prompts).extracting(WrittenPrompt::text).containsExactly("One", "Two");
        assertThat(images).containsExactly("data:image/jpeg;base64,AAAA");
        assertThat(users.get(0)).contains("photo is attached");
        assertThat(released).hasValue(1);
    }

    @Test
    void anLlmThatRefusesTheImageIsAskedAgainWithTheTextAlone() {
        List<String> images = new ArrayList<>();
        PromptWriter.Llm llm = (system, user, image, n) -> {
            images.add(image);
            return image != null
                    ? Uni.createFrom().failure(new LlmException(ErrorClassifier.llmHttp(400, null)))
                    : Uni.createFrom().item(List.of("One", "Two"));
        };
        AtomicInteger released = new AtomicInteger();
        PromptWriter.Photos photos = (requestId, photo) ->
                Uni.createFrom().item(new ProductPhotos.Shown("data:image/png;base64,AAAA", released::incrementAndGet));
        List<WrittenPrompt> prompts =
                write(new PromptWriter(llm, photos, new PromptLibrary(), 2), request(Template.UGC, 2, null));
        assertThat(prompts).allMatch(p -> p.source() == PromptSource.LLM);
        assertThat(images).containsExactly("data:image/png;base64,AAAA", null);
        assertThat(released).hasValue(1);
    }

    @Test
    void aServerErrorOnTheVisionPathKeepsThePhotoAndEndsInTheTemplatesAtWorst() {
        List<String> images = new ArrayList<>();
        PromptWriter.Llm llm = (system, user, image, n) -> {
            images.add(image);
            return Uni.createFrom().failure(new LlmException(ErrorClassifier.llmHttp(503, null)));
        };
        AtomicInteger released = new AtomicInteger();
        PromptWriter.Photos photos = (requestId, photo) ->
                Uni.createFrom().item(new ProductPhotos.Shown("data:image/png;base64,AAAA", released::incrementAndGet));
        List<WrittenPrompt> prompts =
                write(new PromptWriter(llm, photos, new PromptLibrary(), 2), request(Template.AD, 3, null));
        assertThat(prompts).hasSize(3).allMatch(p -> p.source() == PromptSource.TEMPLATE);
        assertThat(images).containsExactly("data:image/png;base64,AAAA", "data:image/png;base64,AAAA");
        assertThat(released).hasValue(1);
    }

    @Test
    void aPhotoThatCannotBeHadMeansTheTextAlone() {
        List<String> images = new ArrayList<>();
        PromptWriter.Llm llm = (system, user, image, n) -> {
            images.add(image);
            return Uni.createFrom().item(List.of("One"));
        };
        PromptWriter.Photos none = (requestId, photo) -> Uni.createFrom().nullItem();
        PromptWriter.Photos broken = (requestId, photo) -> Uni.createFrom().failure(new IllegalStateException("boom"));
        for (PromptWriter.Photos photos : List.of(none, broken)) {
            assertThat(write(new PromptWriter(llm, photos, new PromptLibrary(), 1), request(Template.AD, 1, null)))
                    .containsExactly(new WrittenPrompt("One", PromptSource.LLM));
        }
        assertThat(images).containsExactly(null, null);
    }

    @Test
    void onlyTheFourImageTypesLlmsTakeAreShown() {
        assertThat(ProductPhotos.imageType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}))
                .isEqualTo("image/jpeg");
        assertThat(ProductPhotos.imageType(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}))
                .isEqualTo("image/png");
        assertThat(ProductPhotos.imageType("GIF89a".getBytes())).isEqualTo("image/gif");
        assertThat(ProductPhotos.imageType("RIFF0000WEBPVP8 ".getBytes())).isEqualTo("image/webp");
        assertThat(ProductPhotos.imageType("%PDF-1.7".getBytes())).isNull();
        assertThat(ProductPhotos.imageType(new byte[0])).isNull();
    }

    @Test
    void theLlmAnswerMustHoldExactlyNPrompts() throws IOException {
        LlmApi.ChatCompletion two = completion("{\\\"prompts\\\":[\\\"a\\\",\\\"b\\\"]}", "stop");
        assertThat(LlmClient.read(JSON, two, 2)).containsExactly("a", "b");
        assertThatThrownBy(() -> LlmClient.read(JSON, two, 3)).isInstanceOf(LlmException.class);
        LlmApi.ChatCompletion truncated = completion("{\\\"prompts\\\":[\\\"a\\\"", "length");
        assertThatThrownBy(() -> LlmClient.read(JSON, truncated, 1)).isInstanceOf(LlmException.class);
        LlmApi.ChatCompletion chatty = completion("Sure! {", "stop");
        assertThatThrownBy(() -> LlmClient.read(JSON, chatty, 1)).isInstanceOf(LlmException.class);
        LlmApi.ChatCompletion kieEnvelope =
                JSON.readValue("{\"code\":500,\"msg\":\"Internal Error\"}", LlmApi.ChatCompletion.class);
        assertThatThrownBy(() -> LlmClient.read(JSON, kieEnvelope, 1))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("no choices (code 500)");
        LlmApi.ChatCompletion refused = JSON.readValue(
                "{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"no\"}," + "\"finish_reason\":\"stop\"}]}",
                LlmApi.ChatCompletion.class);
        assertThatThrownBy(() -> LlmClient.read(JSON, refused, 1))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void theLlmBaseGetsItsVersionOnce() {
        assertThat(LlmClient.versionedBase("https://api.openai.com")).isEqualTo("https://api.openai.com/v1");
        assertThat(LlmClient.versionedBase("https://api.openai.com/")).isEqualTo("https://api.openai.com/v1");
        assertThat(LlmClient.versionedBase("https://api.kie.ai/gemini-2.5-flash/v1"))
                .isEqualTo("https://api.kie.ai/gemini-2.5-flash/v1");
    }

    private static LlmApi.ChatCompletion completion(String content, String finish) throws IOException {
        return JSON.readValue(
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                        + "\",\"refusal\":null},\"finish_reason\":\"" + finish + "\"}]}",
                LlmApi.ChatCompletion.class);
    }
}
