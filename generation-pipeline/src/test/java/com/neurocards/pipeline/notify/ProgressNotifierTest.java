package com.neurocards.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.job.JobStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressNotifierTest {

    @Test
    void aNewRequestSaysItStartedAndScriptsAreBeingWritten() {
        assertThat(ProgressNotifier.progress(Language.RU, 3, Map.of(), false))
                .isEqualTo("🎬 Генерация запущена: 3 видео\n✍️ Пишем сценарии…");
    }

    @Test
    void renderingShowsHowManyOfN() {
        String text =
                ProgressNotifier.progress(Language.EN, 3, Map.of(JobStatus.SUBMITTED, 2, JobStatus.DELIVERED, 1), true);
        assertThat(text).contains("Rendering: 2 of 3").contains("Sent: 1 of 3").contains("trying again");
    }

    @Test
    void whenEveryJobEndedItSaysDone() {
        String text =
                ProgressNotifier.progress(Language.EN, 3, Map.of(JobStatus.DELIVERED, 2, JobStatus.FAILED, 1), true);
        assertThat(text)
                .startsWith("✅ Generation finished")
                .contains("Sent: 2 of 3")
                .contains("Failed: 1")
                .doesNotContain("trying again");
    }

    @Test
    void aFailureSaysWhyInPlainWordsAndShowsTheRefund() {
        assertThat(ProgressNotifier.failure(Language.RU, 2, 3, ErrorClass.USER, 1, 9))
                .contains("Видео 2 из 3")
                .contains("правилам контента")
                .contains("Баланс: 9");
        assertThat(ProgressNotifier.failure(Language.EN, 1, 1, ErrorClass.TIMEOUT, 1, 4))
                .contains("took too long")
                .contains("Balance: 4");
    }

    @Test
    void everyErrorClassHasATextInBothLanguages() {
        for (ErrorClass c : ErrorClass.values()) {
            for (Language l : Language.values()) {
                assertThat(ProgressNotifier.failure(l, 1, 1, c, 1, 1)).doesNotContain("{0}");
            }
        }
    }

    @Test
    void bothLanguagesHaveEveryTextAndEachIsAValidPattern() {
        assertThat(ProgressNotifier.TEXTS.problems()).isEmpty();
        assertThat(ProgressNotifier.TEXTS.keys(Language.EN))
                .containsExactlyInAnyOrderElementsOf(ProgressNotifier.TEXTS.keys(Language.RU));
    }
}
