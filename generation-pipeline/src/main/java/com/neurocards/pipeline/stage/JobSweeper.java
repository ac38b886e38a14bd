package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.messaging.MessagingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The net under the poll chain (docs/architecture.md#every-funded-job-ends: within its deadline plus a sweep
 * interval): a job still rendering well past its deadline is failed with TIMEOUT, so billing refunds it, whatever
 * happened to its {@code poll.due} messages. Every instance sweeps; failing a job is idempotent.
 */
@ApplicationScoped
public class JobSweeper {

    private static final Logger LOG = Logger.getLogger(JobSweeper.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final PipelineConfig config;
    private final MessagingConfig messaging;
    private final Vertx vertx;
    private long timer = -1;

    public JobSweeper(JobRepository jobs, JobEvents jobEvents, PipelineConfig config, MessagingConfig messaging, Vertx vertx) {
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.config = config;
        this.messaging = messaging;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        if (!messaging.consumers().enabled()) {
            return;
        }
        timer = vertx.setPeriodic(config.sweep().interval().toMillis(), id -> sweep().subscribe().with(
                swept -> {
                    if (swept > 0) {
                        LOG.warnf("Swept %d job(s) that outlived their render deadline", swept);
                    }
                },
                failure -> LOG.warnf("Job sweep failed: %s", failure.toString())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Fails every overdue render; returns how many it found. */
    public Uni<Integer> sweep() {
        Duration grace = config.sweep().grace();
        return jobs.overdue(grace, BATCH).chain(overdue -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Job job : overdue) {
                Classification timeout = new Classification(ErrorClass.TIMEOUT, null,
                        "the render was still unfinished " + grace + " after its deadline (swept)");
                // the cause of a swept failure: the poll the job was waiting for
                Envelope<PollDue> cause = Envelope.of(new PollDue(job.ref(), job.kieTaskId(), job.deadline(), job.pollCount()));
                chain = chain.chain(() -> jobEvents.failNow(cause, job.ref(), Stage.POLL, timeout, Math.max(1, job.renderAttempts())));
            }
            return chain.replaceWith(overdue.size());
        });
    }
}
