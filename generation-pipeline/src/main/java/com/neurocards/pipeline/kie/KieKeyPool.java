package com.neurocards.pipeline.kie;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.config.PipelineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The KIE keys and how hard each may be pushed: at most {@code createsPerWindow} new tasks per window per key (KIE
 * drops the excess with 429), round-robin over the keys. A key that got a 429 cools down; one refused with
 * 401/402/433 leaves the rotation for a while and raises an alarm (log + {@code neurocards.kie.key.disabled}).
 * Keys are known to the rest of the pipeline only by a fingerprint.
 */
@ApplicationScoped
public class KieKeyPool {

    private static final Logger LOG = Logger.getLogger(KieKeyPool.class);

    /** A key lent for one create. */
    public record Lease(String key, String keyId) {
        @Override
        public String toString() {
            return "Lease[" + keyId + "]";
        }
    }

    private static final class KeyState {
        final String key;
        final String id;
        final Deque<Instant> creates = new ArrayDeque<>();
        Instant coolUntil = Instant.EPOCH;
        Instant disabledUntil = Instant.EPOCH;

        KeyState(String key) {
            this.key = key;
            this.id = fingerprint(key);
        }
    }

    private final List<KeyState> keys = new ArrayList<>();
    private final int limit;
    private final Duration window;
    private final Duration rateLimitCooldown;
    private final Duration disabledCooldown;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter throttled;
    private int cursor;

    /** Where a key stands right now, as {@code neurocards_kie_key_state{key,state}} shows it (1 = in that state). */
    public enum KeyStatus {
        /** may create now */
        USABLE,
        /** used its creates of the current window (the limiter holds further creates back) */
        BUSY,
        /** got a 429 and is left alone for the cool-down */
        COOLING,
        /** refused with 401/402/433: out of rotation */
        DISABLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject
    public KieKeyPool(PipelineConfig config, MeterRegistry registry) {
        this(
                config.kie().apiKeys().orElse(List.of()),
                config.kie().createsPerWindow(),
                config.kie().rateWindow(),
                config.kie().rateLimitCooldown(),
                config.kie().disabledCooldown(),
                Clock.systemUTC(),
                registry);
    }

    public KieKeyPool(
            List<String> apiKeys,
            int limit,
            Duration window,
            Duration rateLimitCooldown,
            Duration disabledCooldown,
            Clock clock,
            MeterRegistry registry) {
        for (String key : apiKeys) {
            if (key != null && !key.isBlank()) {
                keys.add(new KeyState(key.trim()));
            }
        }
        this.limit = limit;
        this.window = window;
        this.rateLimitCooldown = rateLimitCooldown;
        this.disabledCooldown = disabledCooldown;
        this.clock = clock;
        this.registry = registry;
        this.throttled = registry == null
                ? null
                : Counter.builder("neurocards.kie.creates.throttled")
                        .description(
                                "KIE creates held back because no key had room (per-key limit, 429 cool-down or refusal)")
                        .register(registry);
        if (registry != null) {
            for (KeyState k : keys) {
                for (KeyStatus status : KeyStatus.values()) {
                    Gauge.builder("neurocards.kie.key.state", this, pool -> pool.status(k.id) == status ? 1 : 0)
                            .description("1 when the KIE key (by fingerprint, never the key) is in this state")
                            .tags("key", k.id, "state", status.label())
                            .register(registry);
                }
                Gauge.builder("neurocards.kie.key.creates.window", this, pool -> pool.createsInWindow(k.id))
                        .description("Creates a KIE key made in the current rate window (limit: creates-per-window)")
                        .tag("key", k.id)
                        .register(registry);
            }
        }
    }

    /** The state of the key with this fingerprint (DISABLED for an unknown one). */
    public synchronized KeyStatus status(String keyId) {
        Instant now = clock.instant();
        return find(keyId)
                .map(k -> {
                    if (now.isBefore(k.disabledUntil)) {
                        return KeyStatus.DISABLED;
                    }
                    if (now.isBefore(k.coolUntil)) {
                        return KeyStatus.COOLING;
                    }
                    return k.creates.stream()
                                            .filter(t -> t.isAfter(now.minus(window)))
                                            .count()
                                    >= limit
                            ? KeyStatus.BUSY
                            : KeyStatus.USABLE;
                })
                .orElse(KeyStatus.DISABLED);
    }

    private synchronized int createsInWindow(String keyId) {
        Instant now = clock.instant();
        return find(keyId)
                .map(k -> (int) k.creates.stream()
                        .filter(t -> t.isAfter(now.minus(window)))
                        .count())
                .orElse(0);
    }

    /** The fingerprints of the keys, in configuration order. */
    public synchronized List<String> keyIds() {
        return keys.stream().map(k -> k.id).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** A key with room for one more create now (and that create counted), or empty when none has. */
    public synchronized Optional<Lease> acquire() {
        Instant now = clock.instant();
        for (int i = 0; i < keys.size(); i++) {
            KeyState k = keys.get((cursor + i) % keys.size());
            if (now.isBefore(k.disabledUntil) || now.isBefore(k.coolUntil)) {
                continue;
            }
            while (!k.creates.isEmpty() && !k.creates.peekFirst().isAfter(now.minus(window))) {
                k.creates.pollFirst();
            }
            if (k.creates.size() < limit) {
                k.creates.addLast(now);
                cursor = (cursor + i + 1) % keys.size();
                return Optional.of(new Lease(k.key, k.id));
            }
        }
        if (throttled != null && !keys.isEmpty()) {
            throttled.increment();
        }
        return Optional.empty();
    }

    /** How long until some key may create again (never less than a second). */
    public synchronized Duration nextAvailableIn() {
        Instant now = clock.instant();
        Instant best = null;
        for (KeyState k : keys) {
            Instant at = max(k.disabledUntil, k.coolUntil);
            if (k.creates.size() >= limit && !k.creates.isEmpty()) {
                at = max(at, k.creates.peekFirst().plus(window));
            }
            best = best == null || at.isBefore(best) ? at : best;
        }
        Duration wait = best == null ? window : Duration.between(now, best);
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    /** Whether some key could create right now (not refused, not cooling down, under its limit). */
    public synchronized boolean anyUsableNow() {
        Instant now = clock.instant();
        return keys.stream()
                .anyMatch(k -> !now.isBefore(k.disabledUntil)
                        && !now.isBefore(k.coolUntil)
                        && k.creates.stream()
                                        .filter(t -> t.isAfter(now.minus(window)))
                                        .count()
                                < limit);
    }

    /** Whether every key is out of rotation for a refusal (not just busy). */
    public synchronized boolean allDisabled() {
        Instant now = clock.instant();
        return keys.stream().allMatch(k -> now.isBefore(k.disabledUntil));
    }

    /** KIE said 429 for this key: leave it alone for the cool-down. */
    public synchronized void rateLimited(Lease lease) {
        find(lease.keyId()).ifPresent(k -> k.coolUntil = clock.instant().plus(rateLimitCooldown));
    }

    /** KIE refused the key (401 AUTH, 402/433 BILLING): out of rotation, and an operator has to look. */
    public synchronized void disable(Lease lease, ErrorClass why, Integer code) {
        find(lease.keyId()).ifPresent(k -> {
            k.disabledUntil = clock.instant().plus(disabledCooldown);
            LOG.errorf(
                    "ALARM: KIE key %s refused with %s (%s); out of rotation for %s",
                    k.id, code, why, disabledCooldown);
            if (registry != null) {
                registry.counter("neurocards.kie.key.disabled", "key", k.id, "class", why.name())
                        .increment();
            }
        });
    }

    /** The key with this fingerprint (for polling a task with the key that created it), else any key. */
    public synchronized Optional<String> keyFor(String keyId) {
        Optional<String> exact = find(keyId).map(k -> k.key);
        return exact.isPresent() ? exact : keys.stream().findFirst().map(k -> k.key);
    }

    /** Any key, for reads (polls do not count towards the create limit). */
    public synchronized Optional<String> anyKey() {
        Instant now = clock.instant();
        return keys.stream()
                .filter(k -> !now.isBefore(k.disabledUntil))
                .findFirst()
                .or(() -> keys.stream().findFirst())
                .map(k -> k.key);
    }

    private Optional<KeyState> find(String keyId) {
        return keys.stream().filter(k -> k.id.equals(keyId)).findFirst();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** First 12 hex characters of SHA-256: tells keys apart in state and logs without revealing them. */
    public static String fingerprint(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
