package com.neurocards.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.EventType;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code neurocards replay <jobId> --from <stage>}: re-publishes the journaled event that fed that stage for the job,
 * as a new message ({@link Headers#REPLAY_OF} = the original's id) addressed to exactly that stage's queue. The stage
 * resets the job once for that message and runs it again. Billing is never asked: no replay can debit a request again
 * (debits are keyed per request and no replayable stage debits) or refund a job twice (refunds are keyed per job).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Run a job again from a stage by re-publishing the journaled event that fed it.")
class ReplayCommand implements Callable<Integer> {

    /** The stages a job can be replayed from: the event that feeds each, and its queue. Lower case: the CLI's words. */
    enum From {
        /** {@code generation.funded} → new prompts for the request's failed jobs. */
        prompt(EventType.GENERATION_FUNDED, QueueName.PIPELINE_PROMPT, true),
        /** {@code prompt.built} → submitted to KIE again with the same prompt: a new render. */
        submit(EventType.PROMPT_BUILT, QueueName.PIPELINE_SUBMIT, false),
        /** {@code video.submitted} → the same KIE task polled again with a fresh deadline (a render that timed out here). */
        poll(EventType.VIDEO_SUBMITTED, QueueName.PIPELINE_POLL, false),
        /** {@code video.ready} → the finished video sent to the user again. */
        deliver(EventType.VIDEO_READY, QueueName.PIPELINE_DELIVER, false);

        final EventType event;
        final QueueName queue;
        final boolean requestWide;

        From(EventType event, QueueName queue, boolean requestWide) {
            this.event = event;
            this.queue = queue;
            this.requestWide = requestWide;
        }

        /** The job state in which this stage is where the job stands (stuck there), so replaying it races nothing. */
        String waitingState() {
            return switch (this) {
                case prompt -> null;
                case submit -> "PROMPTED";
                case poll -> "SUBMITTED";
                case deliver -> "READY";
            };
        }
    }

    static final Set<String> RUNNING = Set.of("PROMPTED", "SUBMITTED", "READY");
    static final Set<String> DELIVERED = Set.of("DELIVERED", "UNDELIVERABLE");

    @ParentCommand
    NeuroCardsCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job (<requestId>-<n>)")
    String jobId;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "STAGE",
            description = "Stage to run again: ${COMPLETION-CANDIDATES}")
    From from;

    @Option(names = "--dry-run", description = "Print exactly what would be published; publish nothing")
    boolean dryRun;

    @Option(
            names = "--allow-redelivery",
            description = "Replay a job whose video was delivered already: the user gets it again")
    boolean allowRedelivery;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> original;
        String status;
        try (Database db = cli.database()) {
            JobRecords records = new JobRecords(db);
            String requestId = records.requestOfJob(jobId)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown job '" + jobId + "': not in the pipeline's jobs nor in the journal"));
            status = records.job(jobId).map(job -> (String) job.get("status")).orElse(null);
            refuseUnsafe(status, records, requestId);
            original = records.latestEvent(from.event.typeName(), jobId, requestId, from.requestWide)
                    .orElseThrow(() -> new IllegalArgumentException("no " + from.event.typeName() + " of job " + jobId
                            + " in the journal: the job never reached '" + from + "' (or the row is past retention)"));
        }
        String originalId = (String) original.get("message_id");
        String messageId = UUID.randomUUID().toString();
        byte[] body = replayBody((String) original.get("envelope"), messageId);
        Map<String, Object> headers = new LinkedHashMap<>();
        if (original.get("request_id") != null) {
            headers.put(Headers.REQUEST_ID, original.get("request_id"));
        }
        if (original.get("job_id") != null) {
            headers.put(Headers.JOB_ID, original.get("job_id"));
        }
        headers.put(Headers.REPLAY_OF, originalId);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(messageId)
                .type(from.event.typeName())
                .timestamp(new Date())
                .headers(headers)
                .build();
        String routingKey =
                from.queue.queueName(); // the queue's own name: this stage only, not every consumer of the type

        out.printf(
                "%s %s (%s of job %s, status %s) as %s%n",
                dryRun ? "would replay" : "replaying",
                originalId,
                from.event.typeName(),
                jobId,
                status == null ? "unknown" : status,
                messageId);
        out.printf("  exchange %s  routing key %s  type %s%n", Topology.EXCHANGE, routingKey, from.event.typeName());
        out.printf("  headers %s%n", headers);
        out.printf("  body %s%n", new String(body, StandardCharsets.UTF_8));
        if (dryRun) {
            out.println("dry run: nothing published");
        } else {
            try (Broker broker = cli.connect()) {
                broker.publish(Topology.EXCHANGE, routingKey, properties, body);
            }
            out.printf("published to %s; follow it with: neurocards trace %s%n", routingKey, jobId);
        }
        out.flush();
        return 0;
    }

    /** Refuses a replay that would race the job's own run, or send the user a video they already have. */
    private void refuseUnsafe(String status, JobRecords records, String requestId) {
        if (from == From.prompt) {
            boolean anyFailed =
                    records.jobsOfRequest(requestId).stream().anyMatch(job -> "FAILED".equals(job.get("status")));
            if (!anyFailed && status != null) {
                throw new IllegalArgumentException(
                        "replay --from prompt writes new prompts for failed jobs only, and no " + "job of request "
                                + requestId + " failed (job " + jobId + " is " + status + ")");
            }
            return;
        }
        if (status != null && DELIVERED.contains(status) && !allowRedelivery) {
            throw new IllegalArgumentException(
                    "job " + jobId + " was " + status.toLowerCase() + " already: a replay from '" + from
                            + "' would send the user the video again; add --allow-redelivery to do it anyway");
        }
        if (status != null && RUNNING.contains(status) && !status.equals(from.waitingState())) {
            throw new IllegalArgumentException(
                    "job " + jobId + " is " + status + ", still on its way: a replay from '" + from
                            + "' would race its own run (replay a job that is stuck at this stage, failed, or delivered)");
        }
    }

    /** The journaled envelope with a new id and time: a new message, same event. */
    private static byte[] replayBody(String envelope, String messageId) throws IOException {
        ObjectNode node = (ObjectNode) EventCodec.mapper().readTree(envelope);
        node.put("id", messageId);
        node.put("occurredAt", Instant.now().toString());
        byte[] body = EventCodec.mapper().writeValueAsBytes(node);
        EventCodec.decode(body); // the stage must be able to read it: fail here, not in its DLQ
        return body;
    }
}
