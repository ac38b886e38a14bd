package com.neurocards.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code neurocards trace <requestId|jobId>}: the story of a request or a job in time order — every message the
 * journal saw (stages, retries, dead letters and their causes, replays), billing's ledger entries, and what the user
 * was sent.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = "The story of a request or a job, in time order: events, stages, attempts, errors, ledger, "
                + "what the user was sent.")
class TraceCommand implements Callable<Integer> {

    /** What each event type says about where the job is, in the words of the runbook. */
    static final Map<String, String> STAGES = Map.ofEntries(
            Map.entry("generation.requested", "requested"),
            Map.entry("generation.funded", "funded"),
            Map.entry("generation.rejected", "rejected"),
            Map.entry("prompt.built", "prompt"),
            Map.entry("video.submitted", "submitted"),
            Map.entry("poll.due", "polled"),
            Map.entry("video.ready", "ready"),
            Map.entry("generation.delivered", "delivered"),
            Map.entry("generation.retrying", "retrying"),
            Map.entry("generation.failed", "failed"),
            Map.entry("credits.refunded", "refunded"));

    @ParentCommand
    NeuroCardsCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "A request id or a job id (<requestId>-<n>)")
    String id;

    @Option(names = "--json", description = "Print the story as JSON")
    boolean json;

    /** One line of the story. */
    record Step(Instant at, String kind, String stage, String text, String messageId) {}

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = cli.database()) {
            JobRecords records = new JobRecords(db);
            Optional<String> requestOfJob = records.requestOfJob(id);
            String requestId;
            String jobId;
            if (requestOfJob.isPresent()) {
                requestId = requestOfJob.get();
                jobId = id;
            } else if (records.requestKnown(id)) {
                requestId = id;
                jobId = null;
            } else {
                throw new IllegalArgumentException(
                        "no request or job '" + id + "' in the journal or the pipeline's jobs "
                                + "(journal rows are kept for the retention period only)");
            }
            List<Map<String, Object>> jobs = jobId == null
                    ? records.jobsOfRequest(requestId)
                    : records.job(jobId).map(List::of).orElse(List.of());
            List<Step> story = story(records, requestId, jobId, jobs);
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("requestId", requestId);
                document.put("jobId", jobId);
                document.put("jobs", jobs.stream().map(TraceCommand::jobSummary).toList());
                document.put("steps", story);
                out.println(EventCodec.mapper()
                        .copy()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(document));
            } else {
                print(out, requestId, jobId, jobs, story);
            }
        }
        out.flush();
        return 0;
    }

    private static List<Step> story(
            JobRecords records, String requestId, String jobId, List<Map<String, Object>> jobs) {
        List<Step> story = new ArrayList<>();
        List<Map<String, Object>> journal =
                jobId == null ? records.journalOfRequest(requestId) : records.journalOfJob(jobId, requestId);
        for (Map<String, Object> row : journal) {
            story.add(fromJournal(row));
        }
        for (Map<String, Object> entry : records.ledger(requestId, jobId)) {
            story.add(new Step(
                    (Instant) entry.get("created_at"),
                    "ledger",
                    null,
                    String.format(
                            "%s %+d credit(s), balance %s " + "(key %s)%s",
                            entry.get("kind"),
                            (Long) entry.get("amount"),
                            entry.get("balance_after"),
                            entry.get("idempotency_key"),
                            entry.get("job_id") == null ? "" : " for job " + entry.get("job_id")),
                    null));
        }
        for (Map<String, Object> replay : records.replays(requestId)) {
            if (jobId == null || jobId.equals(replay.get("job_id"))) {
                story.add(new Step(
                        (Instant) replay.get("replayed_at"),
                        "replay",
                        String.valueOf(replay.get("stage")).toLowerCase(),
                        "job " + replay.get("job_id") + " reset for a replay of " + replay.get("replay_of"),
                        String.valueOf(replay.get("message_id"))));
            }
        }
        for (Map<String, Object> job : jobs) {
            if (job.get("delivered_at") != null) {
                story.add(new Step(
                        (Instant) job.get("delivered_at"),
                        "user",
                        "delivered",
                        String.format(
                                "sent job %s to chat %s as %s (Telegram message %s)",
                                job.get("job_id"),
                                job.get("chat_id"),
                                job.get("delivery_mode"),
                                job.get("telegram_message_id")),
                        null));
            }
        }
        records.progressMessage(requestId)
                .ifPresent(progress -> story.add(new Step(
                        (Instant) progress.get("updated_at"),
                        "user",
                        null,
                        String.format(
                                "progress message %s in chat %s now reads: %s",
                                progress.get("message_id"),
                                progress.get("chat_id"),
                                firstLine(progress.get("last_text"))),
                        null)));
        story.sort(Comparator.comparing(Step::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return story;
    }

    private static Step fromJournal(Map<String, Object> row) {
        String type = (String) row.get("event_type");
        String stage = type == null ? null : STAGES.getOrDefault(type, type);
        String exchange = (String) row.get("exchange");
        String routingKey = (String) row.get("routing_key");
        StringBuilder text = new StringBuilder(type == null ? "(unreadable message)" : type);
        String kind = "event";
        if ("neurocards.dlx".equals(exchange)) {
            kind = "dead-letter";
            text.append(" dead-lettered from ").append(routingKey);
            if (row.get("error_class") != null) {
                text.append(" [").append(row.get("error_class")).append("]");
            }
            text.append(": ")
                    .append(
                            row.get("dead_letter_cause") == null
                                    ? "(no cause recorded)"
                                    : row.get("dead_letter_cause"));
        } else {
            text.append(" → ").append(routingKey);
            if (row.get("attempt") != null && ((Integer) row.get("attempt")) > 1) {
                kind = "retry";
            }
        }
        if (row.get("attempt") != null) {
            text.append(" (attempt ").append(row.get("attempt")).append(")");
        }
        if (json(row.get("headers")).has(Headers.REDRIVEN_AT)) {
            kind = "re-drive";
            text.append(" (re-driven from its DLQ)");
        }
        if (row.get("replay_of") != null) {
            kind = "replay";
            text.append(" (replay of ").append(row.get("replay_of")).append(")");
        }
        return new Step(when(row, kind), kind, stage, text.toString(), (String) row.get("message_id"));
    }

    /**
     * When it happened, as precisely as the row tells: a dead letter when the stage gave up ({@code x-failed-at}); a
     * re-drive when the operator sent it back ({@code x-redriven-at}); a first crossing or a replay when its envelope
     * was made ({@code occurredAt}, before any consumer saw it, so the story stays causal next to the ledger); anything
     * else that came back later (a retry, a look after a delay tier) when the journal stored it. AMQP timestamps are
     * whole seconds, too coarse to order a story by.
     */
    private static Instant when(Map<String, Object> row, String kind) {
        Instant stored = row.get("received_at") instanceof Instant received ? received : null;
        JsonNode headers = json(row.get("headers"));
        if (kind.equals("dead-letter")) {
            return instant(headers.path(Headers.FAILED_AT).asText(null), stored);
        }
        if (headers.has(Headers.REDRIVEN_AT)) {
            return instant(headers.path(Headers.REDRIVEN_AT).asText(null), stored);
        }
        boolean cameBack = kind.equals("retry") || headers.has("x-death");
        return cameBack
                ? stored
                : instant(json(row.get("envelope")).path("occurredAt").asText(null), stored);
    }

    private static JsonNode json(Object text) {
        try {
            return text == null
                    ? EventCodec.mapper().createObjectNode()
                    : EventCodec.mapper().readTree(text.toString());
        } catch (JsonProcessingException e) {
            return EventCodec.mapper().createObjectNode();
        }
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static Map<String, Object> jobSummary(Map<String, Object> job) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String column : List.of(
                "job_id",
                "status",
                "kie_task_id",
                "render_attempts",
                "failed_stage",
                "error_class",
                "failure_reason",
                "delivery_mode",
                "telegram_message_id")) {
            summary.put(column, job.get(column) == null ? null : String.valueOf(job.get(column)));
        }
        return summary;
    }

    private static void print(
            PrintWriter out, String requestId, String jobId, List<Map<String, Object>> jobs, List<Step> story) {
        out.printf("request %s%s%n", requestId, jobId == null ? "" : "  job " + jobId);
        for (Map<String, Object> job : jobs) {
            out.printf(
                    "  job %s: %s%s%n",
                    job.get("job_id"),
                    job.get("status"),
                    job.get("error_class") == null
                            ? ""
                            : " (" + job.get("failed_stage") + ", " + job.get("error_class") + ": "
                                    + job.get("failure_reason") + ")");
        }
        out.println();
        out.printf("%-24s  %-11s  %-10s  %s%n", "TIME", "KIND", "STAGE", "WHAT");
        for (Step step : story) {
            out.printf(
                    "%-24s  %-11s  %-10s  %s%n",
                    step.at() == null ? "-" : step.at().toString(),
                    step.kind(),
                    step.stage() == null ? "" : step.stage(),
                    step.text());
        }
    }

    private static String firstLine(Object text) {
        if (text == null) {
            return "(not sent yet)";
        }
        String s = text.toString().replace('\n', ' ');
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
