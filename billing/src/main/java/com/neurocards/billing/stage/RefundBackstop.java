package com.neurocards.billing.stage;

import com.neurocards.billing.config.BillingConfig;
import com.neurocards.billing.service.CreditService;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Billing's own net under the pipeline (docs/architecture.md#every-funded-job-ends): every
 * {@code neurocards.billing.refund-backstop.interval}, each billing instance refunds once ({@code refund:<jobId>},
 * {@code credits.refunded} as {@code TIMEOUT}) every funded job that was neither delivered nor refunded
 * {@code refund-backstop.after} after it was funded — a job the pipeline lost without a word (its row never written,
 * its {@code generation.failed} dead-lettered). Instances side by side skip each other's locked rows, and the refund
 * key is unique, so a job is refunded once whoever finds it.
 */
@ApplicationScoped
public class RefundBackstop {

    private static final Logger LOG = Logger.getLogger(RefundBackstop.class);

    private final Transactions transactions;
    private final CreditService credits;
    private final BillingConfig.RefundBackstop config;
    private final boolean enabled;
    private final Counter refunded;

    public RefundBackstop(
            Transactions transactions,
            CreditService credits,
            BillingConfig config,
            MessagingConfig messaging,
            MeterRegistry registry) {
        this.transactions = transactions;
        this.credits = credits;
        this.config = config.refundBackstop();
        // an instance that consumes nothing (a tool) leaves the money to those that do
        this.enabled = messaging.consumers().enabled();
        this.refunded = Counter.builder("neurocards.billing.backstop.refunds")
                .description("Funded jobs billing refunded because nobody delivered or refunded them in time")
                .register(registry);
    }

    @Scheduled(
            identity = "refund-backstop",
            every = "${neurocards.billing.refund-backstop.interval}",
            delayed = "${neurocards.billing.refund-backstop.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return run().onFailure()
                .invoke(failure -> LOG.warnf("Refund backstop failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Refunds every forgotten job, a batch per transaction; returns their ids. */
    public Uni<List<String>> run() {
        return transactions
                .inTransaction(tx -> credits.refundForgotten(tx, config.after(), config.batchSize()))
                .chain(batch -> {
                    refunded.increment(batch.size());
                    if (batch.size() < config.batchSize()) {
                        return Uni.createFrom().item(batch);
                    }
                    return run().map(rest -> {
                        List<String> all = new ArrayList<>(batch);
                        all.addAll(rest);
                        return List.copyOf(all);
                    });
                });
    }
}
