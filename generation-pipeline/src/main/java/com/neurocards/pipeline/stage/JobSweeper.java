package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.job.JobRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The net under the poll chain (docs/architecture.md#every-funded-job-ends: within its deadline plus a sweep interval): a job
 * still rendering well past its deadline is failed with TIMEOUT, so billing refunds it, whatever happened to its
 * {@code poll.due} messages. Every instance that consumes sweeps, every {@code neurocards.pipeline.sweep.interval}
 * (the first time one interval after start); failing a job is idempotent.
 */
@ApplicationScoped
public class JobSweeper {

    private static final Logger LOG = Logger.getLogger(JobSweeper.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final PipelineConfig config;
    /** An instance that does not consume (a tool, some tests) leaves the jobs to those that do. */
    private final boolean enabled;

    public JobSweeper(JobRepository jobs, JobEvents jobEvents, PipelineConfig config, MessagingConfig messaging) {
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.config = config;
        this.enabled = messaging.consumers().enabled();
    }

    @Scheduled(
            identity = "job-sweeper",
            every = "${neurocards.pipeline.sweep.interval}",
            delayed = "${neurocards.pipeline.sweep.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepOnSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return sweep().invoke(swept -> {
                    if (swept > 0) {
                        LOG.warnf("Swept %d job(s) that outlived their render deadline", swept);
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("Job sweep failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Fails every overdue render; returns how many it found. */
    public Uni<Integer> sweep() {
        Duration grace = config.sweep().grace();
        return jobs.overdue(grace, BATCH).chain(overdue -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Job job : overdue) {
                Classification timeout = new Classification(
                        ErrorClass.TIMEOUT,
                        null,
                        "the render was still unfinished " + grace + " after its deadline (swept)");
                // the cause of a swept failure: the poll the job was waiting for
                Envelope<PollDue> cause =
                        Envelope.of(new PollDue(job.ref(), job.kieTaskId(), job.deadline(), job.pollCount()));
                chain = chain.chain(() ->
                        jobEvents.failNow(cause, job.ref(), Stage.POLL, timeout, Math.max(1, job.renderAttempts())));
            }
            return chain.replaceWith(overdue.size());
        });
    }
}
