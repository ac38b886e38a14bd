package com.neurocards.pipeline.journal;

import com.neurocards.messaging.MessagingConfig;
import com.neurocards.pipeline.config.PipelineConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes journal rows older than {@code neurocards.pipeline.journal.retention}, every
 * {@code neurocards.pipeline.journal.retention-interval} (the first time one interval after start), on every instance
 * that keeps the journal.
 */
@ApplicationScoped
public class JournalRetention {

    private static final Logger LOG = Logger.getLogger(JournalRetention.class);

    private final JournalRepository repository;
    private final PipelineConfig.Journal config;
    /** Only an instance that consumes the journal cleans it. */
    private final boolean enabled;

    public JournalRetention(JournalRepository repository, PipelineConfig config, MessagingConfig messaging) {
        this.repository = repository;
        this.config = config.journal();
        this.enabled = this.config.enabled() && messaging.consumers().enabled();
    }

    @Scheduled(
            identity = "journal-retention",
            every = "${neurocards.pipeline.journal.retention-interval}",
            delayed = "${neurocards.pipeline.journal.retention-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpiredOnSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return deleteExpired()
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d journal row(s) older than %s", deleted, config.retention());
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("Journal retention failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes every row past the retention period; returns how many. */
    public Uni<Integer> deleteExpired() {
        return repository.deleteReceivedBefore(Instant.now().minus(config.retention()));
    }
}
