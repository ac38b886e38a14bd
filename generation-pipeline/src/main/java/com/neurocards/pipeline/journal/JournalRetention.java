package com.neurocards.pipeline.journal;

import com.neurocards.messaging.MessagingConfig;
import com.neurocards.pipeline.config.PipelineConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Deletes journal rows older than {@code neurocards.pipeline.journal.retention}, every retention interval. */
@ApplicationScoped
public class JournalRetention {

    private static final Logger LOG = Logger.getLogger(JournalRetention.class);

    private final JournalRepository repository;
    private final PipelineConfig.Journal config;
    private final MessagingConfig messaging;
    private final Vertx vertx;
    private long timer = -1;

    public JournalRetention(JournalRepository repository, PipelineConfig config, MessagingConfig messaging, Vertx vertx) {
        this.repository = repository;
        this.config = config.journal();
        this.messaging = messaging;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || !messaging.consumers().enabled()) {
            return;
        }
        timer = vertx.setPeriodic(config.retentionInterval().toMillis(), id -> deleteExpired().subscribe().with(
                deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d journal row(s) older than %s", deleted, config.retention());
                    }
                },
                failure -> LOG.warnf("Journal retention failed: %s", failure.toString())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes every row past the retention period; returns how many. */
    public Uni<Integer> deleteExpired() {
        return repository.deleteReceivedBefore(Instant.now().minus(config.retention()));
    }
}
