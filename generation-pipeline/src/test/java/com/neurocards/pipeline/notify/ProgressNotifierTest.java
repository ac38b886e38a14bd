package com.neurocards.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.job.JobProgress;
import com.neurocards.pipeline.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    private static final RenderTimes TIMES = new RenderTimes(Map.of("veo3_fast", "1m-3m", "veo3", "3m-5m"), "2m-5m");
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private static JobProgress job(int index, JobStatus status, String model, Duration renderingFor) {
        return new JobProgress(index, status, model, renderingFor == null ? null : NOW.minus(renderingFor));
    }

    @Test
    void eachVideoHasItsLineWithItsState() {
        String text = ProgressNotifier.progress(
                Language.EN,
                6,
                List.of(
                        job(1, JobStatus.DELIVERED, "veo3_fast", null),
                        job(2, JobStatus.SUBMITTED, "veo3_fast", Duration.ofSeconds(100)),
                        job(3, JobStatus.READY, "veo3_fast", null),
                        job(4, JobStatus.PROMPTED, "veo3_fast", null),
                        job(5, JobStatus.FAILED, "veo3_fast", null)),
                false,
                false,
                TIMES,
                NOW);
        assertThat(text.split("\n"))
                .containsExactly(
                        "🎬 Generation started: 6 videos",
                        "✔️ Video 1: sent",
                        "🎥 Video 2: rendering, 1 min so far (usually 1–3 min)",
                        "📤 Video 3: rendered, sending",
                        "⏳ Video 4: queued",
                        "⚠️ Video 5: failed, credits are being returned",
                        "✍️ Video 6: writing the prompt");
    }

    @Test
    void aRenderingVideoShowsItsElapsedTimeAgainstTheUsualTimeOfItsModel() {
        String fast = ProgressNotifier.progress(
                Language.RU,
                2,
                List.of(
                        job(1, JobStatus.SUBMITTED, "veo3_fast", Duration.ofSeconds(20)),
                        job(2, JobStatus.SUBMITTED, "veo3", Duration.ofMinutes(4))),
                false,
                false,
                TIMES,
                NOW);
        assertThat(fast)
                .contains("🎥 Видео 1: рендерим, прошло меньше минуты (обычно 1–3 мин)")
                .contains("🎥 Видео 2: рендерим, прошло 4 мин (обычно 3–5 мин)");

        String slow = ProgressNotifier.progress(
                Language.EN,
                1,
                List.of(job(1, JobStatus.SUBMITTED, "veo3_fast", Duration.ofMinutes(7))),
                true,
                false,
                TIMES,
                NOW);
        assertThat(slow)
                .contains("🎥 Video 1: rendering, 7 min so far — longer than usual (1–3 min)")
                .contains("trying again");
    }

    @Test
    void whenEveryVideoEndedTheTitleSaysSoAndTheTallyFollows() {
        String text = ProgressNotifier.progress(
                Language.RU,
                2,
                List.of(job(1, JobStatus.DELIVERED, "veo3", null), job(2, JobStatus.FAILED, "veo3", null)),
                true,
                false,
                TIMES,
                NOW);
        assertThat(text)
                .startsWith("✅ Генерация завершена")
                .contains("✔️ Видео 1: отправлено")
                .contains("⚠️ Видео 2: не получилось, кредиты возвращаются")
                .contains("📤 Отправлено: 1 из 2")
                .doesNotContain("пробуем ещё раз");
    }

    @Test
    void onlyAFinishedRequestShowsTheFinishedMark() {
        // "✅" marks the request finished (the title); a sent video's line has a mark of its own
        String partly = ProgressNotifier.progress(
                Language.EN,
                2,
                List.of(job(1, JobStatus.DELIVERED, "veo3", null), job(2, JobStatus.SUBMITTED, "veo3", Duration.ZERO)),
                false,
                false,
                TIMES,
                NOW);
        assertThat(partly).doesNotContain("✅");
        for (Language lang : Language.values()) {
            assertThat(ProgressNotifier.progress(
                            lang, 1, List.of(job(1, JobStatus.DELIVERED, "veo3", null)), false, false, TIMES, NOW))
                    .startsWith("✅");
        }
    }

    @Test
    void aFailedVideoSaysItsCreditsAreBackOnceTheRefundArrived() {
        List<JobProgress> jobs = List.of(
                new JobProgress(1, JobStatus.FAILED, "veo3", null, false),
                new JobProgress(2, JobStatus.FAILED, "veo3", null, true));
        assertThat(ProgressNotifier.progress(Language.EN, 3, jobs, false, false, TIMES, NOW))
                .contains("⚠️ Video 1: failed, credits are being returned")
                .contains("⚠️ Video 2: failed, credits returned");
        assertThat(ProgressNotifier.progress(Language.RU, 3, jobs, false, false, TIMES, NOW))
                .contains("⚠️ Видео 1: не получилось, кредиты возвращаются")
                .contains("⚠️ Видео 2: не получилось, кредиты возвращены");
    }

    @Test
    void waitingForATopUpIsSaidInsteadOfRetrying() {
        String text = ProgressNotifier.progress(
                Language.EN, 1, List.of(job(1, JobStatus.PROMPTED, "veo3", null)), true, true, TIMES, NOW);
        assertThat(text)
                .contains(ProgressNotifier.TEXTS.get(Language.EN, "progress.funding"))
                .doesNotContain("trying again");
    }

    @Test
    void theTextAlwaysFitsACaptionInBothLanguages() {
        for (Language lang : Language.values()) {
            for (int total : new int[] {1, 5, 10, 20, 50}) {
                List<JobProgress> jobs = new ArrayList<>();
                for (int i = 1; i <= total; i++) {
                    jobs.add(job(i, JobStatus.SUBMITTED, "veo3", Duration.ofMinutes(i + 5L)));
                }
                String text = ProgressNotifier.progress(lang, total, jobs, true, true, TIMES, NOW);
                assertThat(text.length()).as("%s, %d videos", lang, total).isLessThanOrEqualTo(1024);
                if (total <= 5) {
                    assertThat(text.split("\n")).as("a line per video").hasSizeGreaterThan(total);
                }
            }
        }
        // many videos: the tally instead of a line each
        List<JobProgress> many = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            many.add(job(i, JobStatus.SUBMITTED, "veo3", Duration.ofMinutes(1)));
        }
        assertThat(ProgressNotifier.progress(Language.EN, 50, many, false, false, TIMES, NOW))
                .contains("Rendering: 50 of 50");
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
