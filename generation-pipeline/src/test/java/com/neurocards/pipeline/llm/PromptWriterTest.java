package com.neurocards.pipeline.llm;

import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.pipeline.stage.PromptWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptWriterTest {

    private static GenerationRequested request(Template template, int count, String customPrompt) {
        return new GenerationRequested("req-1", 1L, 1L, Language.RU, new Photo("f", "u"), "Керамическая кружка", template,
                "-", customPrompt, count, "veo3_fast", "9:16");
    }

    @Test
    void withoutAnLlmTheTemplatesWriteDistinctPrompts() {
        PromptWriter writer = new PromptWriter(null, new PromptLibrary(), 2);
        List<WrittenPrompt> prompts = writer.write(request(Template.AD, 5, null));
        assertThat(prompts).hasSize(5).allMatch(p -> p.source() == PromptSource.TEMPLATE)
                .allMatch(p -> p.text().contains("Керамическая кружка"));
        assertThat(prompts.stream().map(WrittenPrompt::text).distinct()).hasSize(5);
    }

    @Test
    void selfUsesTheSellersPromptAsGiven() {
        PromptWriter writer = new PromptWriter(null, new PromptLibrary(), 2);
        assertThat(writer.write(request(Template.SELF, 3, "My own prompt")))
                .containsOnly(new WrittenPrompt("My own prompt", PromptSource.USER));
    }

    @Test
    void anUnreachableLlmFallsBackToTheTemplates() {
        LlmClient dead = new LlmClient("http://127.0.0.1:9", "key", "gpt-4o-mini", Duration.ofSeconds(1));
        List<WrittenPrompt> prompts = new PromptWriter(dead, new PromptLibrary(), 2).write(request(Template.UGC, 3, null));
        assertThat(prompts).hasSize(3).allMatch(p -> p.source() == PromptSource.TEMPLATE);
    }

    @Test
    void theLlmAnswerMustHoldExactlyNPrompts() {
        LlmClient client = new LlmClient("http://unused", "key", "m", Duration.ofSeconds(1));
        String two = completion("{\\\"prompts\\\":[\\\"a\\\",\\\"b\\\"]}", "stop");
        assertThat(client.read(two, 2)).containsExactly("a", "b");
        assertThatThrownBy(() -> client.read(two, 3)).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> client.read(completion("{\\\"prompts\\\":[\\\"a\\\"", "length"), 1))
                .isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> client.read(completion("Sure! {", "stop"), 1)).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> client.read("{\"code\":500,\"msg\":\"Internal Error\"}", 1)).isInstanceOf(LlmException.class);
    }

    private static String completion(String content, String finish) {
        return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                + "\",\"refusal\":null},\"finish_reason\":\"" + finish + "\"}]}";
    }
}
