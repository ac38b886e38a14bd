package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.contracts.event.VideoSubmitted;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.pipeline.kie.KieClient;
import com.neurocards.pipeline.kie.KieException;
import com.neurocards.pipeline.kie.KieKeyPool;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code video.submitted} / {@code poll.due} → {@code video.ready} | {@code generation.failed}: the {@link RenderPoller}
 * on the poll queue. Between looks a job is a {@code poll.due} message in a delay queue — no thread and no unacked
 * message waits for a render. One poll chain per job: a look counts only if its {@code pollCount} is the job's.
 */
@ApplicationScoped
public class PollStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(PollStage.class);

    private final RenderPoller poller;
    private final KieClient kie;
    private final KieKeyPool keys;
    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Replays replays;
    private final Duration renderDeadline;

    public PollStage(
            PipelineConfig config,
            KieClient kie,
            KieKeyPool keys,
            JobRepository jobs,
            JobEvents jobEvents,
            Outbox outbox,
            Transactions transactions) {
        this.poller = new RenderPoller(config.poll().schedule(), config.poll().maxRenderAttempts());
        this.renderDeadline = config.poll().deadline();
        this.kie = kie;
        this.keys = keys;
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.replays = new Replays(jobs, transactions);
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_POLL;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        if (delivery.envelope().payload() instanceof VideoSubmitted submitted && Replays.isReplay(delivery)) {
            Instant deadline = Instant.now().plus(renderDeadline);
            return transactions
                    .processOnce(delivery, tx -> replays.poll(tx, delivery, submitted, deadline)
                            .chain(reset -> reset
                                    ? startPolling(tx, delivery, submitted, deadline)
                                    : Uni.createFrom().voidItem()))
                    .replaceWithVoid();
        }
        if (delivery.envelope().payload() instanceof VideoSubmitted submitted) {
            return transactions
                    .processOnce(delivery, tx -> startPolling(tx, delivery, submitted, submitted.deadline()))
                    .replaceWithVoid();
        }
        PollDue due = delivery.payload(PollDue.class);
        return jobs.find(due.job().jobId()).chain(found -> {
            if (found.isEmpty()) {
                LOG.warnf("poll.due for unknown job %s; dropped", due.job().jobId());
                return Uni.createFrom().voidItem();
            }
            Job job = found.get();
            if (job.status() != JobStatus.SUBMITTED
                    || !due.kieTaskId().equals(job.kieTaskId())
                    || due.pollCount() != job.pollCount()) {
                LOG.debugf(
                        "Stale poll of job %s (%s, task %s, poll %d vs %d)",
                        job.jobId(), job.status(), due.kieTaskId(), due.pollCount(), job.pollCount());
                return Uni.createFrom().voidItem();
            }
            return look(job, due)
                    .chain(decision -> transactions.processOnce(
                            delivery, tx -> jobs.advancePoll(tx, job.jobId(), due.kieTaskId(), due.pollCount())
                                    .chain(mine -> mine
                                            ? apply(tx, delivery.envelope(), job, due, decision)
                                            : Uni.createFrom().voidItem())))
                    .replaceWithVoid();
        });
    }

    /** The first look of a new poll chain, after the first wait of the schedule. */
    private Uni<Void> startPolling(SqlConnection tx, Delivery delivery, VideoSubmitted submitted, Instant deadline) {
        PollDue first = new PollDue(submitted.job(), submitted.kieTaskId(), deadline, 0);
        return outbox.publishAfter(tx, Envelope.causedBy(delivery.envelope(), first), poller.waitBefore(0));
    }

    /** One look at the render: record-info with the key that created it, read by the {@link RenderPoller}. */
    private Uni<PollDecision> look(Job job, PollDue due) {
        Optional<String> key = keys.keyFor(job.kieKeyId());
        if (key.isEmpty()) {
            return Uni.createFrom()
                    .failure(new JobFailedException(
                            ErrorClass.TEMPORARY, ErrorClass.AUTH, null, "no KIE API key configured", null));
        }
        return kie.recordInfo(key.get(), due.kieTaskId(), job.model())
                .map(info -> poller.decide(
                        info,
                        due.pollCount(),
                        job.renderAttempts(),
                        job.deadline() != null ? job.deadline() : due.deadline(),
                        Instant.now()))
                // KIE does not know the task: looking again cannot help
                .onFailure(PollStage::orphaned)
                .recoverWithItem(e -> new PollDecision.Failed(((KieException) e).classification()))
                .onFailure(KieException.class)
                .transform(e -> retried(((KieException) e).classification()));
    }

    private static boolean orphaned(Throwable failure) {
        return failure instanceof KieException e
                && e.classification().providerCode() != null
                && ErrorClassifier.isOrphanedTask(
                        e.classification().providerCode(), e.classification().reason());
    }

    /** A failed look is retried; a refused key says nothing about the render: keep trying for a while, then fail as such. */
    private static StageException retried(Classification c) {
        if (c.errorClass() == ErrorClass.AUTH || c.errorClass() == ErrorClass.BILLING) {
            return new JobFailedException(ErrorClass.TEMPORARY, c.errorClass(), c.providerCode(), c.reason(), null);
        }
        return Failures.of(c);
    }

    private Uni<Void> apply(SqlConnection tx, Envelope<?> cause, Job job, PollDue due, PollDecision decision) {
        JobRef ref = due.job();
        if (decision instanceof PollDecision.Ready ready) {
            return jobs.markReady(tx, job.jobId(), due.kieTaskId(), ready.videoUrl(), ready.resolution())
                    .chain(ok -> ok
                            ? outbox.publish(
                                    tx,
                                    Envelope.causedBy(
                                            cause,
                                            new VideoReady(ref, due.kieTaskId(), ready.videoUrl(), ready.resolution())))
                            : Uni.createFrom().voidItem());
        }
        if (decision instanceof PollDecision.PollAgain again) {
            PollDue next = new PollDue(ref, due.kieTaskId(), due.deadline(), due.pollCount() + 1);
            return outbox.publishAfter(tx, Envelope.causedBy(cause, next), again.delay());
        }
        if (decision instanceof PollDecision.Resubmit resubmit) {
            Classification c = resubmit.classification();
            LOG.infof(
                    "Job %s: KIE failed render %d (%s); rendering again",
                    job.jobId(), job.renderAttempts(), c.reason());
            PromptBuilt again = new PromptBuilt(ref, job.prompt(), job.promptSource(), job.model(), job.aspectRatio());
            return jobs.resetForResubmit(tx, job.jobId(), due.kieTaskId())
                    .chain(ok -> !ok
                            ? Uni.createFrom().voidItem()
                            : outbox.publish(tx, Envelope.causedBy(cause, again))
                                    .chain(() -> outbox.publish(
                                            tx,
                                            Envelope.causedBy(
                                                    cause,
                                                    new GenerationRetrying(
                                                            ref,
                                                            Stage.POLL,
                                                            job.renderAttempts() + 1,
                                                            c.errorClass(),
                                                            c.reason())))));
        }
        Classification c = ((PollDecision.Failed) decision).classification();
        return jobEvents.fail(tx, cause, ref, Stage.POLL, c, Math.max(1, job.renderAttempts()));
    }

    @Override
    public Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        JobRef job = jobOf(delivery);
        return jobEvents.retrying(delivery.envelope(), job, Stage.POLL, failure, nextAttempt);
    }

    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        return jobEvents.failNow(
                delivery.envelope(), jobOf(delivery), Stage.POLL, JobEvents.classify(cause), delivery.attempt());
    }

    private static JobRef jobOf(Delivery delivery) {
        return delivery.envelope().payload() instanceof VideoSubmitted s
                ? s.job()
                : delivery.payload(PollDue.class).job();
    }
}
