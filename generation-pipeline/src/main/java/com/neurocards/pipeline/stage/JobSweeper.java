package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.pipeline.job.StrandedJobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The net under every stage (docs/architecture.md#every-funded-job-ends): whatever lost a job, it ends — failed, so
 * billing refunds it — within its deadline plus a sweep interval. Each sweep fails
 *
 * <ul>
 *   <li>every job still rendering {@code sweep.grace} past its render deadline ({@code TIMEOUT}, at the poll stage),
 *       whatever happened to its {@code poll.due} messages;
 *   <li>every job not ended {@code sweep.job-grace} past its overall deadline ({@code job-deadline} from funding;
 *       {@code TIMEOUT}, at the stage it was waiting for);
 *   <li>every job a working stage dead-lettered while it had not ended ({@link StrandedJobs}, found by the journal;
 *       {@code UNKNOWN}): nothing works on it any more, so it does not wait for its deadline.
 * </ul>
 *
 * Every instance that consumes sweeps, every {@code neurocards.pipeline.sweep.interval} (the first time one interval
 * after start); failing a job is idempotent (only a job not ended is failed, and only then announced).
 */
@ApplicationScoped
public class JobSweeper {

    private static final Logger LOG = Logger.getLogger(JobSweeper.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final StrandedJobs stranded;
    private final JobEvents jobEvents;
    private final PipelineConfig config;
    /** An instance that does not consume (a tool, some tests) leaves the jobs to those that do. */
    private final boolean enabled;

    public JobSweeper(
            JobRepository jobs,
            StrandedJobs stranded,
            JobEvents jobEvents,
            PipelineConfig config,
            MessagingConfig messaging) {
        this.jobs = jobs;
        this.stranded = stranded;
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
                        LOG.warnf("Swept %d job(s) that outlived their deadline or were dead-lettered", swept);
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("Job sweep failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One sweep: overdue renders, expired jobs, stranded jobs; returns how many jobs it looked at. */
    public Uni<Integer> sweep() {
        return sweepRenders().chain(renders -> sweepExpired()
                .chain(expired -> sweepStranded().map(strandedJobs -> renders + expired + strandedJobs)));
    }

    private Uni<Integer> sweepRenders() {
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

    private Uni<Integer> sweepExpired() {
        Duration grace = config.sweep().jobGrace();
        return jobs.expired(grace, BATCH).chain(expired -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Job job : expired) {
                Classification timeout = new Classification(
                        ErrorClass.TIMEOUT,
                        null,
                        "the job was still " + job.status() + " " + grace + " after its overall deadline ("
                                + config.jobDeadline() + " from funding); swept");
                chain = chain.chain(() -> jobEvents.failNow(
                        null, job.ref(), waitingFor(job.status()), timeout, Math.max(1, job.renderAttempts())));
            }
            return chain.replaceWith(expired.size());
        });
    }

    private Uni<Integer> sweepStranded() {
        return stranded.oldest(BATCH).chain(found -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (StrandedJobs.Stranded job : found) {
                chain = chain.chain(() -> failStranded(job)).chain(() -> stranded.forget(job.jobId()));
            }
            return chain.replaceWith((int) found.stream()
                    .filter(job -> job.status() == null || !job.status().terminal())
                    .count());
        });
    }

    private Uni<Void> failStranded(StrandedJobs.Stranded job) {
        if (job.status() != null && job.status().terminal()) {
            return Uni.createFrom().voidItem(); // it ended after all (a re-drive or a replay finished it)
        }
        Stage stage =
                job.status() == null ? QueueName.fromQueueName(job.queue()).stage() : waitingFor(job.status());
        Classification c = new Classification(
                ErrorClass.UNKNOWN,
                null,
                "no stage works on it any more: " + job.queue() + " gave up on it ("
                        + (job.cause() == null ? job.errorClass() : job.cause()) + "); swept");
        Uni<JobRef> ref = job.status() == null
                ? Uni.createFrom().item(job.ref())
                : jobs.find(job.jobId()).map(row -> row.map(Job::ref).orElse(job.ref()));
        return ref.chain(known -> {
            if (known == null) {
                LOG.errorf(
                        "ALARM: stranded job %s has no row and its dead letter was unreadable: the pipeline cannot"
                                + " fail it; billing's refund backstop refunds it",
                        job.jobId());
                return Uni.createFrom().voidItem();
            }
            return jobEvents.failNow(null, known, stage, c, 1);
        });
    }

    /** The stage a job in this state is waiting for: the one that failed to move it on. */
    static Stage waitingFor(JobStatus status) {
        return switch (status) {
            case PROMPTED -> Stage.SUBMIT;
            case SUBMITTED -> Stage.POLL;
            default -> Stage.DELIVER;
        };
    }
}
