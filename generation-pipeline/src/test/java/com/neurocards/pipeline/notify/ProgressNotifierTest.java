package com.neurocards.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.job.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void aFailureOnOurSideNamesWhereTheSellerReachesAPerson() {
        Optional<String> support = Optional.of("@neurocards_help");
        for (Language l : Language.values()) {
            for (ErrorClass c : List.of(ErrorClass.BILLING, ErrorClass.AUTH, ErrorClass.UNKNOWN)) {
                assertThat(ProgressNotifier.failure(l, 1, 1, c, 1, 1, support))
                        .as("%s in %s", c, l)
                        .contains(ProgressNotifier.TEXTS.get(l, "support.contact", "@neurocards_help"));
            }
            for (ErrorClass c :
                    List.of(ErrorClass.USER, ErrorClass.TEMPORARY, ErrorClass.RATE_LIMIT, ErrorClass.TIMEOUT)) {
                assertThat(ProgressNotifier.failure(l, 1, 1, c, 1, 1, support))
                        .as("%s in %s: the seller can try again", c, l)
                        .doesNotContain("@neurocards_help");
            }
        }
        assertThat(ProgressNotifier.failure(Language.RU, 2, 3, ErrorClass.BILLING, 1, 9, support))
                .startsWith("😔 Видео 2 из 3 не получилось: видеосервис не принял его из-за проблемы с оплатой на нашей"
                        + " стороне (не на вашей). Если повторится — напишите в поддержку: @neurocards_help.");
        assertThat(ProgressNotifier.failure(Language.EN, 1, 1, ErrorClass.UNKNOWN, 1, 4, support))
                .startsWith(
                        "😔 Video 1 of 1 could not be made because of an unexpected error on our side. If it happens"
                                + " again, write to @neurocards_help.");
    }

    @Test
    void withoutAContactAFailureOnOurSidePointsToTheSupportCommand() {
        assertThat(ProgressNotifier.failure(Language.EN, 1, 1, ErrorClass.AUTH, 1, 4))
                .contains("If it happens again, send /support.");
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
