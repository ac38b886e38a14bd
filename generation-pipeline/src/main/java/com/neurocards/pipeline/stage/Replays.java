package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.contracts.event.VideoSubmitted;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.pipeline.job.JobRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * An operator's {@code replay --from prompt|submit|poll|deliver}: a journaled event published again to its stage's
 * queue with {@code x-replay-of}. Before the stage does its usual step, the job goes back to where the replayed event
 * leaves it, whatever it had become since, and the replay is recorded for {@code trace} ({@code pipeline.job_replay}).
 * A job in the middle of a run is not reset: its own chain is still going.
 *
 * <p>The reset happens once per replayed message: a redelivery of the replay (a crash before the ack) must not reset
 * the job a second time, after the first one had moved on.
 *
 * <p>Billing is never involved: the request was debited once (key per request) and a second failure is not refunded
 * twice (key per job).
 */
final class Replays {

    private static final Logger LOG = Logger.getLogger(Replays.class);

    private final JobRepository jobs;
    private final Transactions transactions;

    Replays(JobRepository jobs, Transactions transactions) {
        this.jobs = jobs;
        this.transactions = transactions;
    }

    /** Whether the message is an operator's replay rather than the pipeline's own. */
    static boolean isReplay(Delivery delivery) {
        return delivery.replayOf() != null;
    }

    /**
     * A replayed {@code generation.funded} ({@code --from prompt}): the job gets the new prompt and is PROMPTED again
     * if it failed, or is written down if it never was; a running or delivered job is left alone. The request is not
     * debited again: billing debits once per request, and is not even asked. Part of the stage's own
     * {@code processOnce} transaction, which already runs once per message. Returns whether the job is to be submitted.
     */
    Uni<Boolean> prompt(SqlConnection tx, Delivery delivery, PromptBuilt built) {
        return jobs.upsertForReplayedPrompt(tx, built)
                .call(again -> again
                        ? jobs.claimReplay(
                                tx, delivery.envelope().id(), built.job().jobId(), Stage.PROMPT, delivery.replayOf())
                        : Uni.createFrom().voidItem());
    }

    /**
     * A replayed {@code prompt.built} ({@code --from submit}): the job, failed or delivered before, is PROMPTED again
     * with that prompt and without a task, so it is submitted and rendered anew.
     */
    Uni<Boolean> submit(Delivery delivery, PromptBuilt built) {
        String jobId = built.job().jobId();
        return transactions
                .inTransaction(tx ->
                        resetOnce(tx, delivery, jobId, Stage.SUBMIT, () -> jobs.resetForReplayedSubmit(tx, built)))
                .invoke(reset -> log(
                        delivery,
                        jobId,
                        reset ? "will be submitted again" : "was not reset (already replayed, or running)"));
    }

    /**
     * A replayed {@code video.submitted} ({@code --from poll}, e.g. a render that timed out here but finished at KIE
     * later): the job renders again with the same task and a fresh {@code deadline}; the stage then starts a new poll
     * chain (poll count 0, so the looks of an older chain are stale and stop).
     */
    Uni<Boolean> poll(SqlConnection tx, Delivery delivery, VideoSubmitted submitted, Instant deadline) {
        String jobId = submitted.job().jobId();
        return resetOnce(
                        tx,
                        delivery,
                        jobId,
                        Stage.POLL,
                        () -> jobs.resetForReplayedPoll(tx, jobId, submitted.kieTaskId(), deadline))
                .invoke(reset ->
                        log(delivery, jobId, reset ? "is polled again" : "was not reset (other task, or running)"));
    }

    /**
     * A replayed {@code video.ready} ({@code --from deliver}): the job is READY with that video again and is delivered
     * anew, also when it had been delivered (the operator said so).
     */
    Uni<Boolean> deliver(Delivery delivery, VideoReady ready) {
        String jobId = ready.job().jobId();
        return transactions
                .inTransaction(tx -> resetOnce(
                        tx,
                        delivery,
                        jobId,
                        Stage.DELIVER,
                        () -> jobs.resetForReplayedDelivery(tx, jobId, ready.videoUrl(), ready.resolution())))
                .invoke(reset -> log(
                        delivery,
                        jobId,
                        reset ? "will be delivered again" : "was not reset (already replayed, or running)"));
    }

    /** Claims the replay for the job first (false when this message already did), and resets only if claimed. */
    private Uni<Boolean> resetOnce(
            SqlConnection tx, Delivery delivery, String jobId, Stage stage, Supplier<Uni<Boolean>> reset) {
        return jobs.claimReplay(tx, delivery.envelope().id(), jobId, stage, delivery.replayOf())
                .chain(claimed -> claimed ? reset.get() : Uni.createFrom().item(false));
    }

    private static void log(Delivery delivery, String jobId, String what) {
        LOG.infof("Replay %s of %s: job %s %s", delivery.envelope().id(), delivery.replayOf(), jobId, what);
    }
}
