package com.neurocards.pipeline.kie;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.notify.ProgressNotifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The low-credit alarm: every {@code credit-check-interval} each KIE key's balance is read
 * ({@code GET /api/v1/chat/credit}) and shown as {@code neurocards_kie_credits{key}}. When a balance falls below
 * {@code KIE_CREDIT_ALERT_THRESHOLD} the admins get one Telegram message (and a WARN is logged); while it stays low,
 * nothing more until {@code credit-alert-repeat} has passed; once it is back above the threshold the alarm is re-armed.
 * Better an operator tops up now than KIE answers 402 to sellers' videos later. The first check is a minute after
 * start, not a whole interval; without keys, or with an interval of zero, there is nothing to check.
 */
@Startup // the gauges exist from the start, not from the first check
@ApplicationScoped
public class KieCreditWatch {

    private static final Logger LOG = Logger.getLogger(KieCreditWatch.class);

    private final KieClient kie;
    private final KieKeyPool keys;
    private final KieFunding funding;
    private final long threshold;
    private final boolean enabled;
    private final Duration repeat;
    private final Clock clock = Clock.systemUTC();
    /** Key fingerprint → last balance seen. */
    private final Map<String, Long> balances = new ConcurrentHashMap<>();
    /** Key fingerprint → when the admins were last alerted; present only while that key is low. */
    private final Map<String, Instant> alerted = new ConcurrentHashMap<>();

    public KieCreditWatch(
            KieClient kie, KieKeyPool keys, KieFunding funding, PipelineConfig config, MeterRegistry registry) {
        this.kie = kie;
        this.keys = keys;
        this.funding = funding;
        this.threshold = config.kie().creditAlertThreshold();
        Duration interval = config.kie().creditCheckInterval();
        this.enabled = !keys.isEmpty() && !interval.isZero() && !interval.isNegative();
        this.repeat = config.kie().creditAlertRepeat();
        for (String keyId : keys.keyIds()) {
            Gauge.builder("neurocards.kie.credits", balances, b -> b.containsKey(keyId) ? b.get(keyId) : Double.NaN)
                    .description("KIE credit balance last seen with this key (by fingerprint)")
                    .tag("key", keyId)
                    .register(registry);
        }
    }

    /** Never two at once; a failed round is logged and the next one comes at the next interval. */
    @Scheduled(
            identity = "kie-credit-watch",
            every = "${neurocards.pipeline.kie.credit-check-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkOnSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return check().onFailure()
                .invoke(e -> LOG.warnf("KIE credit check failed: %s", Redaction.describe(e)))
                .onFailure()
                .recoverWithNull();
    }

    /** Reads every key's balance, one key after the other, and alerts as described above. */
    public Uni<Void> check() {
        return Multi.createFrom()
                .iterable(keys.keyIds())
                .onItem()
                .transformToUniAndConcatenate(this::check)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> check(String keyId) {
        String key = keys.keyFor(keyId).orElseThrow();
        return kie.credits(key)
                // the alert is a blocking Telegram send: not on the event loop the answer arrives on
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(credits -> seen(keyId, credits))
                // a key set aside for its balance comes back as soon as a reading shows it can pay
                .call(credits -> funding.balanceSeen(keyId, credits))
                .onFailure(KieException.class)
                .recoverWithItem(e -> {
                    LOG.warnf(
                            "KIE credit balance of key %s not read: %s",
                            keyId, ((KieException) e).classification().reason());
                    return null;
                })
                .replaceWithVoid();
    }

    private synchronized void seen(String keyId, long credits) {
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
            LOG.infof(
                    "KIE credits of key %s are back to %d (threshold %d); the alarm is re-armed",
                    keyId, credits, threshold);
        }
    }

    /** The last balance seen per key fingerprint. */
    public Map<String, Long> balances() {
        return Map.copyOf(balances);
    }

    private void alertAdmins(String keyId, long credits) {
        String text = ProgressNotifier.TEXTS.get(Language.DEFAULT, "admin.kie.credits.low", keyId, credits, threshold);
        funding.tellAdmins(text).await().indefinitely();
    }
}
