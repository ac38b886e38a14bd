package com.neurocards.pipeline.notify;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.telegram.MessageBundle;
import java.util.ArrayList;
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

    private ProgressNotifier() {}

    /**
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
