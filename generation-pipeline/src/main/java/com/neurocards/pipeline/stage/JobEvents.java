package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Delivered;
import com.neurocards.pipeline.job.JobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Ends jobs that cannot be completed ({@code generation.failed}, so billing refunds) and announces retries
 * ({@code generation.retrying}, so the user sees "retrying"). Failing is idempotent: only a job that had not
 * ended yet is failed, and only then is the event written.
 */
@ApplicationScoped
public class JobEvents {

    private static final Logger LOG = Logger.getLogger(JobEvents.class);

    private final JobRepository jobs;
    private final Outbox outbox;
    private final Transactions transactions;
    private final MeterRegistry registry;
    private final Timer endToEnd;

    public JobEvents(JobRepository jobs, Outbox outbox, Transactions transactions, MeterRegistry registry) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.transactions = transactions;
        this.registry = registry;
        this.endToEnd = Timer.builder("neurocards.pipeline.funded.to.delivered")
                .description("Time from a job being funded to its video delivered")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(10))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }

    /**
     * READY → DELIVERED / UNDELIVERABLE with {@code generation.delivered} (caused by {@code cause}, when there is one);
     * nothing when the job is no longer READY.
     */
    public Uni<Void> delivered(
            SqlConnection tx, Envelope<?> cause, JobRef job, DeliveryMode mode, long messageId, String fileId) {
        return jobs.markDelivered(tx, job.jobId(), mode, messageId, fileId)
                .call(marked -> {
                    if (!marked) {
                        return Uni.createFrom().voidItem();
                    }
                    registry.counter("neurocards.pipeline.jobs.delivered", "mode", mode.name())
                            .increment();
                    return jobs.fundedToDelivered(tx, job.jobId())
                            .invoke(took -> took.ifPresent(endToEnd::record))
                            .replaceWithVoid();
                })
                .chain(marked -> {
                    if (!marked) {
                        return Uni.createFrom().voidItem();
                    }
                    GenerationDelivered event = new GenerationDelivered(job, messageId, fileId, mode);
                    return outbox.publish(tx, cause == null ? Envelope.of(event) : Envelope.causedBy(cause, event));
                });
    }

    /**
     * Fails the job in {@code tx} and writes {@code generation.failed} (caused by {@code cause}, when there is one);
     * nothing when it had already ended. A job whose video is or may already be in the chat is never failed, whoever
     * gives up on it (a stage, the sweeper): one whose send was answered ({@link JobRepository#sent}) ends DELIVERED as
     * sent; one with a send without an answer, or one still in flight, ends DELIVERED as {@code UNCONFIRMED}; neither
     * is refunded (docs/architecture.md#sending-a-video-the-at-most-twice-rule).
     */
    public Uni<Void> fail(
            SqlConnection tx, Envelope<?> cause, JobRef job, Stage stage, Classification c, int attempts) {
        return jobs.sentVideo(tx, job.jobId())
                .chain(sent -> sent.isPresent()
                        ? reachedTheChat(tx, cause, job, stage, c, sent.get())
                        : failUnlessMayBeInChat(tx, cause, job, stage, c, attempts));
    }

    /** A send reached the chat and its answer was recorded before the job was given up: it ends delivered, as sent. */
    private Uni<Void> reachedTheChat(
            SqlConnection tx, Envelope<?> cause, JobRef job, Stage stage, Classification c, Delivered sent) {
        LOG.warnf(
                "Job %s: given up at %s (%s), but its video reached the chat; it ends delivered (no refund)",
                job.jobId(), stage, c.errorClass());
        return delivered(tx, cause, job, sent.mode(), sent.messageId(), sent.fileId());
    }

    private Uni<Void> failUnlessMayBeInChat(
            SqlConnection tx, Envelope<?> cause, JobRef job, Stage stage, Classification c, int attempts) {
        return jobs.maySitInChat(tx, job.jobId()).chain(inChat -> {
            if (!inChat) {
                return failOutright(tx, cause, job, stage, c, attempts);
            }
            LOG.warnf(
                    "Job %s: given up at %s (%s), but a send may have reached the chat; it ends delivered, unconfirmed "
                            + "(no refund)",
                    job.jobId(), stage, c.errorClass());
            return delivered(tx, cause, job, DeliveryMode.UNCONFIRMED, 0, null);
        });
    }

    private Uni<Void> failOutright(
            SqlConnection tx, Envelope<?> cause, JobRef job, Stage stage, Classification c, int attempts) {
        String reason = Redaction.redact(c.reason());
        return end(tx, job, stage, c.errorClass(), c.providerCode(), reason).chain(failed -> {
            if (!failed) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("Job %s failed at %s: %s (%s)", job.jobId(), stage, c.errorClass(), reason);
            registry.counter(
                            "neurocards.pipeline.jobs.failed",
                            "stage",
                            stage.name(),
                            "class",
                            c.errorClass().name())
                    .increment();
            GenerationFailed event =
                    new GenerationFailed(job, stage, c.errorClass(), c.providerCode(), reason, attempts);
            return outbox.publish(tx, cause == null ? Envelope.of(event) : Envelope.causedBy(cause, event));
        });
    }

    /**
     * Billing refunded a job ({@code credits.refunded}): a job that has not ended yet — billing's refund backstop found
     * it neither delivered nor refunded long after its deadline — is marked FAILED (stage {@code BILLING}) so no stage
     * delivers it afterwards. Nothing is announced: the refund is the announcement. A job that ended changes nothing.
     */
    public Uni<Void> refunded(SqlConnection tx, CreditsRefunded refunded) {
        JobRef job = refunded.job();
        return end(
                        tx,
                        job,
                        Stage.BILLING,
                        refunded.errorClass(),
                        null,
                        "refunded by billing's backstop before the pipeline ended it")
                .invoke(ended -> {
                    if (ended) {
                        LOG.warnf("Job %s was refunded by billing before it ended; marked failed", job.jobId());
                        registry.counter(
                                        "neurocards.pipeline.jobs.failed",
                                        "stage",
                                        Stage.BILLING.name(),
                                        "class",
                                        refunded.errorClass().name())
                                .increment();
                    }
                })
                .replaceWithVoid();
    }

    /** Marks a job that has not ended FAILED (recording it when it has no row yet); false when it had ended. */
    private Uni<Boolean> end(
            SqlConnection tx, JobRef job, Stage stage, ErrorClass errorClass, Integer providerCode, String reason) {
        return jobs.markFailed(tx, job.jobId(), stage, errorClass, providerCode, reason)
                .chain(updated -> updated
                        ? Uni.createFrom().item(true)
                        : exists(tx, job.jobId())
                                .chain(exists -> exists
                                        ? Uni.createFrom().item(false)
                                        : jobs.insertFailed(tx, job, stage, errorClass, providerCode, reason)));
    }

    /** {@link #fail} in a transaction of its own (from {@code onGiveUp}). */
    public Uni<Void> failNow(Envelope<?> cause, JobRef job, Stage stage, Classification c, int attempts) {
        return transactions.inTransaction(tx -> fail(tx, cause, job, stage, c, attempts));
    }

    /** What a give-up means for the job: the stage's own classification, or UNKNOWN for an exception nobody expected. */
    public static Classification classify(Throwable cause) {
        if (cause instanceof JobFailedException f) {
            return new Classification(f.failAs(), f.providerCode(), Redaction.describe(f));
        }
        if (cause instanceof StageException s) {
            return new Classification(
                    s.errorClass(),
                    s.providerCode(),
                    s.getMessage() == null ? s.errorClass().name() : Redaction.redact(s.getMessage()));
        }
        return new Classification(ErrorClass.UNKNOWN, null, "Unexpected: " + Redaction.describe(cause));
    }

    /** Tells the user's progress message that this job hit trouble and will be tried again. */
    public Uni<Void> retrying(Envelope<?> cause, JobRef job, Stage stage, StageException failure, int nextAttempt) {
        GenerationRetrying event = new GenerationRetrying(
                job,
                stage,
                nextAttempt,
                failure.errorClass(),
                failure.getMessage() == null ? null : Redaction.redact(failure.getMessage()));
        return transactions.inTransaction(tx -> outbox.publish(tx, Envelope.causedBy(cause, event)));
    }

    private static Uni<Boolean> exists(SqlClient tx, String jobId) {
        return tx.preparedQuery("SELECT 1 FROM pipeline.job WHERE job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() > 0);
    }
}
