package com.neurocards.pipeline.journal;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.contracts.event.VideoSubmitted;
import com.neurocards.pipeline.job.StrandedJobs;
import com.neurocards.pipeline.stage.PromptStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Dead letters that leave a job stranded: a message of a stage that works on jobs (prompt, submit, poll, deliver)
 * reached its DLQ while the job had not ended — the stage's give-up could not fail it (the database was away), the
 * broker's delivery limit took it, or it was unreadable. Nothing works on such a job any more. Each is recorded once
 * ({@code pipeline.stranded_job}), raises {@code ALARM: …} and {@code neurocards_pipeline_jobs_stranded_total}, and is
 * failed and refunded by the next sweep ({@code JobSweeper}). A dead letter of a job that has ended (the usual give-up,
 * which failed the job first) is only journaled.
 */
@ApplicationScoped
public class DeadLetterWatch {

    private static final Logger LOG = Logger.getLogger(DeadLetterWatch.class);

    /** The queues whose messages carry a job's work forward: a dead letter there means the job stopped. */
    static final Set<String> WORKING_QUEUES = Set.of(
            QueueName.PIPELINE_PROMPT.queueName(),
            QueueName.PIPELINE_SUBMIT.queueName(),
            QueueName.PIPELINE_POLL.queueName(),
            QueueName.PIPELINE_DELIVER.queueName());

    private final StrandedJobs stranded;
    private final MeterRegistry registry;

    public DeadLetterWatch(StrandedJobs stranded, MeterRegistry registry) {
        this.stranded = stranded;
        this.registry = registry;
    }

    /** Records the jobs the dead letters among these (stored) journal entries leave stranded, and raises the alarm. */
    public Uni<Void> look(List<JournalEntry> entries) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (JournalEntry entry : entries) {
            if (!Topology.DEAD_LETTER_EXCHANGE.equals(entry.exchange())
                    || !WORKING_QUEUES.contains(entry.routingKey())) {
                continue;
            }
            for (Job job : jobsOf(entry)) {
                chain = chain.chain(() -> stranded.record(
                                job.jobId(), job.ref(), entry.routingKey(), entry.errorClass(), entry.deadLetterCause())
                        .invoke(recorded -> {
                            if (recorded) {
                                alarm(entry, job.jobId());
                            }
                        })
                        .replaceWithVoid());
            }
        }
        return chain;
    }

    private void alarm(JournalEntry entry, String jobId) {
        registry.counter("neurocards.pipeline.jobs.stranded", "queue", entry.routingKey())
                .increment();
        LOG.errorf(
                "ALARM: job %s stranded: its message %s reached %s while the job had not ended (%s: %s); no stage works"
                        + " on it now, the next job sweep fails and refunds it",
                jobId,
                entry.messageId(),
                Topology.dlqOf(entry.routingKey()),
                entry.errorClass() == null ? "no error class" : entry.errorClass(),
                entry.deadLetterCause() == null ? "no cause given" : entry.deadLetterCause());
    }

    private record Job(String jobId, JobRef ref) {}

    /** The jobs a dead-lettered message was about: all of a request's for generation.funded, else its one job. */
    private static List<Job> jobsOf(JournalEntry entry) {
        List<Job> jobs = new ArrayList<>();
        Event payload = payload(entry);
        if (payload instanceof GenerationFunded funded) {
            PromptStage.jobRefs(funded).forEach(ref -> jobs.add(new Job(ref.jobId(), ref)));
        } else if (refOf(payload) != null) {
            JobRef ref = refOf(payload);
            jobs.add(new Job(ref.jobId(), ref));
        } else if (entry.jobId() != null) {
            // unreadable, but its headers name the job: the sweep takes the job as its row describes it
            jobs.add(new Job(entry.jobId(), null));
        }
        return jobs;
    }

    private static JobRef refOf(Event payload) {
        if (payload instanceof PromptBuilt p) {
            return p.job();
        }
        if (payload instanceof VideoSubmitted s) {
            return s.job();
        }
        if (payload instanceof PollDue d) {
            return d.job();
        }
        if (payload instanceof VideoReady r) {
            return r.job();
        }
        return null;
    }

    private static Event payload(JournalEntry entry) {
        if (entry.envelopeJson() == null) {
            return null;
        }
        try {
            Envelope<Event> envelope = EventCodec.decode(entry.envelopeJson().getBytes(StandardCharsets.UTF_8));
            return envelope.payload();
        } catch (RuntimeException e) {
            return null; // unknown type or version: poison, which the journal keeps as it is
        }
    }
}
