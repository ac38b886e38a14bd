package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.VideoSubmitted;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.pipeline.job.TaskCallbacks;
import com.neurocards.pipeline.kie.KieClient;
import com.neurocards.pipeline.kie.KieFunding;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.PhotoHandoff;
import com.neurocards.pipeline.web.KieCallbackResource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code prompt.built} → {@code video.submitted}: the {@link KieSubmitter} on the submit queue. A job that already has a
 * KIE task is never submitted again.
 */
@ApplicationScoped
public class SubmitStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(SubmitStage.class);

    private final KieSubmitter submitter;
    private final JobRepository jobs;
    private final TaskCallbacks callbacks;
    private final JobEvents jobEvents;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Replays replays;
    private final PipelineConfig config;
    private final String callbackUrl;
    /** Longer than any create can take (photo download and upload, then the create call itself). */
    private final Duration abandonedAfter;

    public SubmitStage(
            KieClient kie,
            KieKeyPool keys,
            KieFunding funding,
            PhotoHandoff photos,
            JobRepository jobs,
            TaskCallbacks callbacks,
            JobEvents jobEvents,
            Outbox outbox,
            Transactions transactions,
            PipelineConfig config,
            @ConfigProperty(name = "quarkus.rest-client.kie.read-timeout") long createTimeoutMillis,
            @ConfigProperty(name = "quarkus.rest-client.kie-upload.read-timeout") long uploadTimeoutMillis) {
        this.submitter = new KieSubmitter(
                kie, keys, funding, job -> photos.kieUrl(job.ref().photo()));
        this.jobs = jobs;
        this.callbacks = callbacks;
        this.jobEvents = jobEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.replays = new Replays(jobs, transactions);
        this.config = config;
        this.callbackUrl = KieCallbackResource.callbackUrl(config).orElse(null);
        this.abandonedAfter =
                Duration.ofMillis(uploadTimeoutMillis + createTimeoutMillis).multipliedBy(2);
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_SUBMIT;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        PromptBuilt built = delivery.payload(PromptBuilt.class);
        Uni<Job> job = ensureJob(built);
        if (Replays.isReplay(delivery)) {
            // the job as the replay left it
            job = job.chain(recorded -> replays.submit(delivery, built))
                    .chain(() -> jobs.find(built.job().jobId()))
                    .map(Optional::orElseThrow);
        }
        return job.chain(recorded -> submit(delivery, built, recorded));
    }

    private Uni<Void> submit(Delivery delivery, PromptBuilt built, Job job) {
        if (job.status() != JobStatus.PROMPTED || job.kieTaskId() != null) {
            LOG.debugf("Job %s is %s (task %s); not submitting again", job.jobId(), job.status(), job.kieTaskId());
            return Uni.createFrom().voidItem();
        }
        Job toSubmit = new Job(
                built.job(),
                job.status(),
                built.prompt(),
                built.source(),
                built.model(),
                built.aspectRatio(),
                null,
                null,
                job.renderAttempts(),
                0,
                null,
                null,
                job.createdAt(),
                job.expiresAt());
        // This try's claim id: it frees only a claim it took itself, never one of another try whose create is at KIE.
        String claimId = UUID.randomUUID().toString();
        return submitter
                .submit(toSubmit, callbackUrl, () -> claim(job.jobId(), claimId))
                // a create that certainly made no task frees the job for the next try
                .onFailure(e -> !(e instanceof AmbiguousSubmitException) && !(e instanceof ClaimRefused))
                .call(e -> jobs.releaseSubmit(job.jobId(), claimId))
                .onFailure(KieSubmitter.FundingWait.class)
                .call(e -> toldAboutFundingWait(delivery, built))
                .chain(outcome -> transactions.processOnce(delivery, tx -> record(tx, delivery, built, outcome)))
                .replaceWithVoid();
    }

    /**
     * The job waits for a KIE top-up: the first time, its request's progress message says so (a
     * {@code generation.retrying} of class BILLING; the wait itself uses no attempt).
     */
    private Uni<Void> toldAboutFundingWait(Delivery delivery, PromptBuilt built) {
        return transactions.inTransaction(
                tx -> jobs.markFundingWait(tx, built.job().jobId())
                        .chain(first -> first
                                ? outbox.publish(
                                        tx,
                                        Envelope.causedBy(
                                                delivery.envelope(),
                                                new GenerationRetrying(
                                                        built.job(),
                                                        Stage.SUBMIT,
                                                        delivery.attempt(),
                                                        ErrorClass.BILLING,
                                                        "no KIE key can pay now: waiting for a top-up")))
                                : Uni.createFrom().voidItem()));
    }

    /**
     * Claims the job right before its create leaves (committed when this completes); refuses when another submission
     * holds it or was interrupted.
     */
    private Uni<Void> claim(String jobId, String claimId) {
        return jobs.claimSubmit(jobId, claimId, abandonedAfter)
                .invoke(claim -> {
                    switch (claim) {
                        case CLAIMED -> {}
                        case IN_PROGRESS -> throw new ClaimRefused(
                                "another submission of job " + jobId + " is in progress");
                        case DONE -> throw new ClaimRefused("job " + jobId + " was submitted meanwhile");
                        case ABANDONED -> throw new AmbiguousSubmitException(
                                null,
                                "an earlier submission of job " + jobId
                                        + " was interrupted after it may have reached KIE; not sent again to avoid a duplicate task");
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The job is not ours to submit now: another submission holds it. Not a failure of this message, so it waits
     * (pacing, no attempt used) and looks again; by then the job has a task, or the other try was abandoned and this
     * one fails it as an ambiguous submission.
     */
    static final class ClaimRefused extends StageException {
        ClaimRefused(String message) {
            super(message, Duration.ofSeconds(5));
        }
    }

    private Uni<Void> record(SqlConnection tx, Delivery delivery, PromptBuilt built, SubmitOutcome outcome) {
        if (outcome instanceof SubmitOutcome.Rejected r) {
            return jobEvents.fail(
                    tx, delivery.envelope(), built.job(), Stage.SUBMIT, r.classification(), delivery.attempt());
        }
        SubmitOutcome.Submitted s = (SubmitOutcome.Submitted) outcome;
        Instant now = Instant.now();
        Instant deadline = now.plus(config.poll().deadline());
        VideoSubmitted submitted = new VideoSubmitted(built.job(), s.taskId(), built.model(), now, deadline);
        return jobs.markSubmitted(tx, built.job().jobId(), s.taskId(), s.keyId(), deadline)
                .chain(marked -> {
                    if (!marked) {
                        LOG.warnf(
                                "Job %s was submitted concurrently; KIE task %s is a duplicate",
                                built.job().jobId(), s.taskId());
                        return Uni.createFrom().voidItem();
                    }
                    return outbox.publish(tx, Envelope.causedBy(delivery.envelope(), submitted))
                            // the progress message shows "rendering" (the notify queue is not bound to video.submitted)
                            .chain(() -> outbox.sendTo(
                                    tx,
                                    Envelope.causedBy(delivery.envelope(), submitted),
                                    QueueName.PIPELINE_NOTIFY,
                                    Map.of()))
                            .chain(() -> callbacks.takeEarly(tx, s.taskId()))
                            .chain(early -> {
                                if (!early) {
                                    return Uni.createFrom().voidItem();
                                }
                                // the render ended before its create's answer came: look now, not at the schedule's
                                LOG.debugf(
                                        "Job %s: KIE called back for task %s before it was recorded; looking at it now",
                                        built.job().jobId(), s.taskId());
                                return outbox.publish(
                                        tx,
                                        Envelope.causedBy(
                                                delivery.envelope(),
                                                new PollDue(built.job(), s.taskId(), deadline, 0)));
                            });
                });
    }

    /** The job as recorded; a prompt.built for a job the prompt stage did not record (a replay) records it now. */
    private Uni<Job> ensureJob(PromptBuilt built) {
        return jobs.find(built.job().jobId())
                .chain(found -> found.isPresent()
                        ? Uni.createFrom().item(found.get())
                        : transactions
                                .inTransaction(tx -> jobs.insertPrompted(tx, built))
                                .chain(() -> jobs.find(built.job().jobId()))
                                .map(Optional::orElseThrow));
    }

    @Override
    public Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        JobRef job = delivery.payload(PromptBuilt.class).job();
        return jobEvents.retrying(delivery.envelope(), job, Stage.SUBMIT, failure, nextAttempt);
    }

    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        JobRef job = delivery.payload(PromptBuilt.class).job();
        return jobEvents.failNow(delivery.envelope(), job, Stage.SUBMIT, JobEvents.classify(cause), delivery.attempt());
    }
}
