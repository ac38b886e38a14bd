package com.neurocards.pipeline.notify;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.job.JobProgress;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.telegram.MessageBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user reads about a request: the one progress message (rendered from the jobs' states, so any event can
 * re-render it and a late or repeated event cannot make it go backwards), and the one-off notices. Plain Java.
 */
public final class ProgressNotifier {

    /** The pipeline's texts for users: {@code messages/pipeline_ru.properties} (the default) and {@code _en}. */
    public static final MessageBundle TEXTS =
            new MessageBundle("messages.pipeline", ProgressNotifier.class.getClassLoader());

    /** Telegram's caption limit, in UTF-16 code units (a Java string's length): the card's caption is the progress. */
    public static final int MAX_CAPTION = 1024;

    private ProgressNotifier() {}

    /**
     * The progress message: a line per video with its state — writing its prompt, queued, rendering (how long so far
     * against the usual render time of its model), sent, failed — and, when all ended, the tally. A text that would not
     * fit a caption ({@value #MAX_CAPTION} UTF-16 units: many videos) is the tally form instead.
     *
     * @param jobs            the request's jobs recorded so far; a video without one is still having its prompt written
     * @param awaitingFunding a job waits because the video service's (KIE) balance is being topped up
     * @param now             the time the elapsed render times are counted to
     */
    public static String progress(
            Language lang,
            int total,
            List<JobProgress> jobs,
            boolean retrying,
            boolean awaitingFunding,
            RenderTimes renderTimes,
            Instant now) {
        Map<Integer, JobProgress> byIndex = new HashMap<>();
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobProgress job : jobs) {
            byIndex.put(job.index(), job);
            counts.merge(job.status(), 1, Integer::sum);
        }
        int ended = 0;
        int delivered = 0;
        for (JobProgress job : jobs) {
            ended += job.status().terminal() ? 1 : 0;
            delivered += job.status() == JobStatus.DELIVERED || job.status() == JobStatus.UNDELIVERABLE ? 1 : 0;
        }
        boolean done = ended >= total;

        List<String> lines = new ArrayList<>();
        lines.add(TEXTS.get(lang, done ? "progress.title.done" : "progress.title", total));
        for (int i = 1; i <= total; i++) {
            lines.add(videoLine(lang, i, byIndex.get(i), renderTimes, now));
        }
        if (done) {
            if (delivered > 0) {
                lines.add(TEXTS.get(lang, "progress.delivered", delivered, total));
                lines.add(TEXTS.get(lang, "progress.done"));
            }
        } else if (awaitingFunding) {
            lines.add(TEXTS.get(lang, "progress.funding"));
        } else if (retrying) {
            lines.add(TEXTS.get(lang, "progress.retrying"));
        }
        String text = String.join("\n", lines);
        return text.length() <= MAX_CAPTION ? text : progress(lang, total, counts, retrying, awaitingFunding);
    }

    private static String videoLine(Language lang, int index, JobProgress job, RenderTimes renderTimes, Instant now) {
        if (job == null) {
            return TEXTS.get(lang, "progress.video.writing", index);
        }
        return switch (job.status()) {
            case PROMPTED -> TEXTS.get(lang, "progress.video.queued", index);
            case SUBMITTED -> {
                RenderTimes.Range usual = renderTimes.of(job.model());
                Duration elapsed = job.submittedAt() == null
                        ? Duration.ZERO
                        : Duration.between(job.submittedAt(), now).isNegative()
                                ? Duration.ZERO
                                : Duration.between(job.submittedAt(), now);
                String so = elapsed.toMinutes() < 1
                        ? TEXTS.get(lang, "progress.elapsed.new")
                        : TEXTS.get(lang, "progress.elapsed.minutes", elapsed.toMinutes());
                long from = usual.min().toMinutes();
                long to = (usual.max().toSeconds() + 59) / 60;
                String range = from == to
                        ? TEXTS.get(lang, "progress.usual.same", to)
                        : TEXTS.get(lang, "progress.usual", from, to);
                yield TEXTS.get(
                        lang,
                        elapsed.compareTo(usual.max()) > 0
                                ? "progress.video.rendering.long"
                                : "progress.video.rendering",
                        index,
                        so,
                        range);
            }
            case READY -> TEXTS.get(lang, "progress.video.sending", index);
            case DELIVERED, UNDELIVERABLE -> TEXTS.get(lang, "progress.video.delivered", index);
            case FAILED -> TEXTS.get(lang, job.refunded() ? "progress.video.refunded" : "progress.video.failed", index);
        };
    }

    /**
     * The tally form of the progress message (how many videos are in each state), used when a line per video would
     * not fit a caption.
     *
     * @param counts   jobs per state; jobs not recorded yet are still having their scripts written
     * @param retrying a job of the request hit a temporary problem and is being retried
     */
    public static String progress(Language lang, int total, Map<JobStatus, Integer> counts, boolean retrying) {
        return progress(lang, total, counts, retrying, false);
    }

    /**
     * @param awaitingFunding a job of the request waits because the video service's (KIE) balance is being topped
     *                        up: said instead of "retrying"
     */
    public static String progress(
            Language lang, int total, Map<JobStatus, Integer> counts, boolean retrying, boolean awaitingFunding) {
        int prompted = counts.getOrDefault(JobStatus.PROMPTED, 0);
        int rendering = counts.getOrDefault(JobStatus.SUBMITTED, 0) + counts.getOrDefault(JobStatus.READY, 0);
        int delivered = counts.getOrDefault(JobStatus.DELIVERED, 0) + counts.getOrDefault(JobStatus.UNDELIVERABLE, 0);
        int failed = counts.getOrDefault(JobStatus.FAILED, 0);
        int known = prompted + rendering + delivered + failed;
        boolean done = known >= total && prompted == 0 && rendering == 0;

        List<String> lines = new ArrayList<>();
        lines.add(TEXTS.get(lang, done ? "progress.title.done" : "progress.title", total));
        if (!done) {
            if (known == 0) {
                lines.add(TEXTS.get(lang, "progress.writing"));
            } else if (rendering + delivered + failed == 0) {
                lines.add(TEXTS.get(lang, "progress.queued"));
            }
            if (rendering > 0) {
                lines.add(TEXTS.get(lang, "progress.rendering", rendering, total));
            }
        }
        if (delivered > 0) {
            lines.add(TEXTS.get(lang, "progress.delivered", delivered, total));
        }
        if (failed > 0) {
            lines.add(TEXTS.get(lang, "progress.failed", failed));
        }
        if (awaitingFunding && !done) {
            lines.add(TEXTS.get(lang, "progress.funding"));
        } else if (retrying && !done) {
            lines.add(TEXTS.get(lang, "progress.retrying"));
        }
        if (done && delivered > 0) {
            lines.add(TEXTS.get(lang, "progress.done"));
        }
        return String.join("\n", lines);
    }

    /** Why one video failed, and that its credits are back (no support contact: the bot's /support command). */
    public static String failure(
            Language lang, int index, int total, ErrorClass errorClass, long refunded, long balance) {
        return failure(lang, index, total, errorClass, refunded, balance, Optional.empty());
    }

    /**
     * Why one video failed, and that its credits are back.
     *
     * @param supportContact where sellers reach a person ({@code SUPPORT_CONTACT}), named in the texts of failures on
     *     our side (BILLING, AUTH, UNKNOWN); none (never in production): the bot's {@code /support} command
     */
    public static String failure(
            Language lang,
            int index,
            int total,
            ErrorClass errorClass,
            long refunded,
            long balance,
            Optional<String> supportContact) {
        ErrorClass shown = errorClass == null ? ErrorClass.UNKNOWN : errorClass;
        String support = supportContact
                .filter(c -> !c.isBlank())
                .map(c -> TEXTS.get(lang, "support.contact", c.trim()))
                .orElseGet(() -> TEXTS.get(lang, "support.command"));
        return TEXTS.get(lang, "failed." + shown.name(), index, total, support) + "\n"
                + TEXTS.get(lang, "failed.refund", refunded, balance);
    }
}
