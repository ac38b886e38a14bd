package com.neurocards.pipeline.kie;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The low-credit alarm: every {@code credit-check-interval} each KIE key's balance is read
 * ({@code GET /api/v1/chat/credit}) and shown as {@code neurocards_kie_credits{key}}. When a balance falls below
 * {@code KIE_CREDIT_ALERT_THRESHOLD} the admins get one Telegram message (and a WARN is logged); while it stays low,
 * nothing more until {@code credit-alert-repeat} has passed; once it is back above the threshold the alarm is re-armed.
 * Better an operator tops up now than KIE answers 402 to sellers' videos later.
 */
@ApplicationScoped
public class KieCreditWatch {

    private static final Logger LOG = Logger.getLogger(KieCreditWatch.class);

    private final KieClient kie;
    private final KieKeyPool keys;
    private final BotSender bot;
    private final List<Long> admins;
    private final long threshold;
    private final Duration interval;
    private final Duration repeat;
    private final Clock clock = Clock.systemUTC();
    /** Key fingerprint → last balance seen. */
    private final Map<String, Long> balances = new ConcurrentHashMap<>();
    /** Key fingerprint → when the admins were last alerted; present only while that key is low. */
    private final Map<String, Instant> alerted = new HashMap<>();
    private ScheduledExecutorService scheduler;

    public KieCreditWatch(KieClient kie, KieKeyPool keys, BotSender bot, PipelineConfig config, MeterRegistry registry) {
        this.kie = kie;
        this.keys = keys;
        this.bot = bot;
        this.admins = config.adminChatIds().orElse(List.of());
        this.threshold = config.kie().creditAlertThreshold();
        this.interval = config.kie().creditCheckInterval();
        this.repeat = config.kie().creditAlertRepeat();
        for (String keyId : keys.keyIds()) {
            Gauge.builder("neurocards.kie.credits", balances, b -> b.containsKey(keyId) ? b.get(keyId) : Double.NaN)
                    .description("KIE credit balance last seen with this key (by fingerprint)").tag("key", keyId)
                    .register(registry);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (keys.isEmpty() || interval.isZero() || interval.isNegative()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kie-credit-watch");
            thread.setDaemon(true);
            return thread;
        });
        long first = Math.min(interval.toMillis(), Duration.ofMinutes(1).toMillis());
        scheduler.scheduleWithFixedDelay(this::checkQuietly, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warnf("KIE credit check failed: %s", Redaction.describe(e));
        }
    }

    /** Reads every key's balance now and alerts as described above. */
    public synchronized void check() {
        for (String keyId : keys.keyIds()) {
            String key = keys.keyFor(keyId).orElseThrow();
            long credits;
            try {
                credits = kie.credits(key);
            } catch (KieException e) {
                LOG.warnf("KIE credit balance of key %s not read: %s", keyId, e.classification().reason());
                continue;
            }
            balances.put(keyId, credits);
            Instant now = clock.instant();
            if (credits < threshold) {
                Instant last = alerted.get(keyId);
                if (last == null || !now.isBefore(last.plus(repeat))) {
                    LOG.warnf("ALARM: KIE credits low on key %s: %d left (alert threshold %d)", keyId, credits, threshold);
                    alertAdmins(keyId, credits);
                    alerted.put(keyId, now);
                }
            } else if (alerted.remove(keyId) != null) {
                LOG.infof("KIE credits of key %s are back to %d (threshold %d); the alarm is re-armed", keyId, credits, threshold);
            }
        }
    }

    /** The last balance seen per key fingerprint. */
    public Map<String, Long> balances() {
        return Map.copyOf(balances);
    }

    private void alertAdmins(String keyId, long credits) {
        if (admins.isEmpty()) {
            LOG.warn("No admin chat configured (ADMIN_USER_IDS): the low-credit alarm is only in the log and metrics");
            return;
        }
        String text = ProgressNotifier.TEXTS.get(Language.DEFAULT, "admin.kie.credits.low", keyId, credits, threshold);
        for (long chatId : admins) {
            try {
                bot.send(chatId, "sendMessage", client -> client.execute(SendMessage.builder().chatId(chatId).text(text)
                        .build())).await().indefinitely();
            } catch (RuntimeException e) {
                LOG.warnf("Low-credit alarm not delivered to admin chat %d: %s", chatId, Redaction.describe(e));
            }
        }
    }
}
