package com.neurocards.telegram;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Where a service gets the spacing of its sends ({@link SendPolicy#throttle()}): shared by every instance that speaks
 * as the bot ({@link SharedChatThrottle}) unless {@code neurocards.telegram.limits.shared} is off, with the bot's
 * limits from {@link TelegramConfig.Limits}; how far ahead a send may reserve is the service's to say. Also forgets
 * the shared spacing's idle chats.
 */
@ApplicationScoped
public class SendThrottles {

    private static final Logger LOG = Logger.getLogger(SendThrottles.class);
    /** A chat whose next free moment passed this long ago is forgotten (a missing row means the same: free). */
    static final Duration IDLE = Duration.ofMinutes(10);

    /**
     * The datasource of the statements a Telegram send waits on — the spacing's reservations here, the deliver stage's
     * record of Telegram's answer — a small pool of its own ({@code DB_SENDS_POOL_MAX_SIZE}) on the service's database,
     * so that they never queue behind the stages' work for a connection of the main pool: a reservation that waited
     * there past {@link SharedChatThrottle#DATABASE_WAIT} made the instance space its sends alone, and an answer that
     * waited there widened the window in which a crash sends a video twice (decision 0013).
     */
    public static final String DATASOURCE = "sends";

    private final Pool pool;
    private final TelegramConfig config;

    public SendThrottles(@ReactiveDataSource(DATASOURCE) Pool pool, TelegramConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The bot's spacing for a service whose sends may reserve a slot up to {@code maxWait} ahead. */
    public SendThrottle throttle(Duration maxWait) {
        TelegramConfig.Limits limits = config.limits();
        SendSpacing spacing = new SendSpacing(limits.perChatInterval(), limits.globalPerSecond(), maxWait);
        ChatThrottle alone = new ChatThrottle(spacing, Clock.systemUTC());
        return limits.shared() ? new SharedChatThrottle(pool, config.botId(), spacing, alone) : alone;
    }

    /** Every instance runs it; deleting rows another instance just deleted is harmless. */
    @Scheduled(
            identity = "telegram-send-slot-cleaning",
            every = "10m",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetIdleChats() {
        if (!config.limits().shared()) {
            return Uni.createFrom().voidItem();
        }
        return SharedChatThrottle.forgetIdleChats(pool, IDLE)
                .invoke(deleted -> LOG.debugf("Forgot %d idle chats of the shared Telegram send spacing", deleted))
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "Could not forget idle chats of the shared Telegram send spacing: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
