package com.neurocards.pipeline.stage;

import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.Transactions;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.job.JobRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * While a request's videos render, no event moves its progress message, yet their elapsed render time grows: every
 * {@code progress.refresh-interval} each instance looks for requests with a job rendering whose message was last
 * edited longer ago than that, and renders them again ({@link ProgressCard#refreshIfFree}). A message is edited only
 * when its text changed (elapsed time in whole minutes), one request at a time, and a message another instance (or
 * an event) is rendering right now is skipped.
 */
@ApplicationScoped
public class ProgressTicker {

    private static final Logger LOG = Logger.getLogger(ProgressTicker.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final ProgressCard card;
    private final Transactions transactions;
    private final Duration interval;
    private final boolean enabled;

    public ProgressTicker(
            JobRepository jobs,
            ProgressCard card,
            Transactions transactions,
            PipelineConfig config,
            MessagingConfig messaging) {
        this.jobs = jobs;
        this.card = card;
        this.transactions = transactions;
        this.interval = config.progress().refreshInterval();
        this.enabled = messaging.consumers().enabled();
    }

    @Scheduled(
            identity = "progress-ticker",
            every = "${neurocards.pipeline.progress.refresh-interval}",
            delayed = "${neurocards.pipeline.progress.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tickOnSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return tick().replaceWithVoid()
                .onFailure()
                .invoke(failure -> LOG.debugf("Progress refresh failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One look: returns how many progress messages were rendered again (edited or found unchanged). */
    public Uni<Integer> tick() {
        return jobs.renderingRequests(interval, BATCH).chain(this::refreshAll);
    }

    private Uni<Integer> refreshAll(List<String> requestIds) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (String requestId : requestIds) {
            chain = chain.chain(done -> transactions
                    .inTransaction(tx -> card.refreshIfFree(tx, requestId))
                    .map(refreshed -> done + (refreshed ? 1 : 0))
                    // one chat's refusal (a 429, a send that must wait) is no reason to leave the others: next tick
                    .onFailure()
                    .recoverWithItem(failure -> {
                        LOG.debugf("Request %s: progress not refreshed (%s)", requestId, failure.toString());
                        return done;
                    }));
        }
        return chain;
    }
}
