package com.neurocards.pipeline.kie;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.config.PipelineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The KIE keys and how hard each may be pushed, for the whole deployment: at most {@code createsPerWindow} new tasks
 * per window per key (KIE drops the excess with 429), round-robin over the keys. The state lives in PostgreSQL
 * ({@code pipeline.kie_key}, {@code pipeline.kie_create}, docs/decisions/0015-kie-shared-key-state.md), so every
 * pipeline instance sees the same windows, cool-downs and refusals: a create takes the key's row lock
 * ({@code SELECT … FOR UPDATE}), counts the key's creates in the window and, when there is room, records its own — one
 * short transaction per key tried.
 *
 * <p>A key that got a real 429 cools down; one refused with 401/433 leaves the rotation for {@code disabled-cooldown}
 * and raises an alarm; one whose balance cannot pay a request is set aside (<em>unfunded</em>) until a balance check
 * shows enough ({@link #balanceSeen}). Keys are known to the rest of the pipeline, and to the database, only by a
 * fingerprint.
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

    /** Why no key was lent. */
    public enum Shortage {
        /** no key is configured */
        NO_KEYS,
        /** some key is only busy: its window is full or it cools down after a 429 (pacing, not a failure) */
        BUSY,
        /** every key that is not refused is set aside because its balance cannot pay */
        UNFUNDED,
        /** every key is refused (401, 433) */
        REFUSED
    }

    /**
     * What {@link #acquire()} got: a lease, or why there is none, how long until some key may create again and (for
     * {@link Shortage#REFUSED}) the class the refusals were; {@code grantedAt} is the time the create was recorded
     * at.
     */
    public record Grant(Lease lease, Shortage shortage, Duration waitFor, ErrorClass refusedAs, Instant grantedAt) {
        Grant(Lease lease, Shortage shortage, Duration waitFor, ErrorClass refusedAs) {
            this(lease, shortage, waitFor, refusedAs, null);
        }

        public Optional<Lease> leased() {
            return Optional.ofNullable(lease);
        }
    }

    /** Where a key stands right now, as {@code neurocards_kie_key_state{key,state}} shows it (1 = in that state). */
    public enum KeyStatus {
        /** may create now */
        USABLE,
        /** used its creates of the current window (the limiter holds further creates back) */
        BUSY,
        /** got a 429 and is left alone for the cool-down */
        COOLING,
        /** its balance cannot pay a request: set aside until a balance check shows enough */
        UNFUNDED,
        /** refused with 401/433: out of rotation */
        DISABLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One key's row as last read, and when its window has room again. */
    private record View(KeyStatus status, Instant availableAt, ErrorClass refusedAs, int creates) {}

    private record Key(String key, String id) {}

    private final Pool pool;
    private final List<Key> keys = new ArrayList<>();
    private final int limit;
    private final Duration window;
    private final Duration rateLimitCooldown;
    private final Duration disabledCooldown;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter throttled;
    private final AtomicInteger cursor = new AtomicInteger();
    /** The last state this instance read per key (for the gauges and {@link #anyKey()}). */
    private final Map<String, View> seen = new ConcurrentHashMap<>();

    private volatile boolean registered;

    @Inject
    public KieKeyPool(PipelineConfig config, MeterRegistry registry, Pool pool) {
        this(
                pool,
                config.kie().apiKeys().orElse(List.of()),
                config.kie().createsPerWindow(),
                config.kie().rateWindow(),
                config.kie().rateLimitCooldown(),
                config.kie().disabledCooldown(),
                Clock.systemUTC(),
                registry);
    }

    public KieKeyPool(
            Pool pool,
            List<String> apiKeys,
            int limit,
            Duration window,
            Duration rateLimitCooldown,
            Duration disabledCooldown,
            Clock clock,
            MeterRegistry registry) {
        this.pool = pool;
        for (String key : apiKeys) {
            if (key != null && !key.isBlank()) {
                keys.add(new Key(key.trim(), fingerprint(key.trim())));
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
                        .description("KIE creates held back because no key had room (per-key limit, 429 cool-down, "
                                + "refusal or balance)")
                        .register(registry);
        if (registry != null) {
            for (Key k : keys) {
                for (KeyStatus status : KeyStatus.values()) {
                    Gauge.builder("neurocards.kie.key.state", seen, s -> lastStatus(s, k.id()) == status ? 1 : 0)
                            .description("1 when the KIE key (by fingerprint, never the key) is in this state, as "
                                    + "this instance last read it")
                            .tags("key", k.id(), "state", status.label())
                            .register(registry);
                }
                Gauge.builder(
                                "neurocards.kie.key.creates.window",
                                seen,
                                s -> s.containsKey(k.id()) ? s.get(k.id()).creates() : 0)
                        .description("Creates a KIE key made in the current rate window, deployment-wide, as this "
                                + "instance last read it (limit: creates-per-window)")
                        .tag("key", k.id())
                        .register(registry);
            }
        }
    }

    private static KeyStatus lastStatus(Map<String, View> seen, String keyId) {
        View v = seen.get(keyId);
        return v == null ? KeyStatus.USABLE : v.status();
    }

    /** The fingerprints of the keys, in configuration order. */
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** The state of the key with this fingerprint, read from the shared store (DISABLED for an unknown one). */
    public Uni<KeyStatus> status(String keyId) {
        if (find(keyId).isEmpty()) {
            return Uni.createFrom().item(KeyStatus.DISABLED);
        }
        Instant now = clock.instant();
        return registered()
                .chain(() -> pool.withConnection(c -> read(c, keyId, now, false)))
                .map(View::status);
    }

    /**
     * A key with room for one more create now (and that create counted, for every instance), else why there is none.
     * The keys are tried in rotation, each in a short transaction of its own (so two instances never wait on each
     * other's locks in a circle).
     */
    public Uni<Grant> acquire() {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(new Grant(null, Shortage.NO_KEYS, window, null));
        }
        int start = Math.floorMod(cursor.getAndIncrement(), keys.size());
        return registered().chain(() -> tryKey(start, 0, new ArrayList<>()));
    }

    private Uni<Grant> tryKey(int start, int offset, List<View> refused) {
        if (offset >= keys.size()) {
            if (throttled != null) {
                throttled.increment();
            }
            return Uni.createFrom().item(shortage(refused));
        }
        Key k = keys.get((start + offset) % keys.size());
        return pool.withTransaction(tx -> take(tx, k)).chain(view -> {
            if (view.status() == KeyStatus.USABLE) {
                return Uni.createFrom()
                        .item(new Grant(new Lease(k.key(), k.id()), null, Duration.ZERO, null, view.availableAt()));
            }
            refused.add(view);
            return tryKey(start, offset + 1, refused);
        });
    }

    /** Locks the key's row; when the key may create and its window has room, records the create (status USABLE). */
    private Uni<View> take(SqlClient tx, Key k) {
        return read(tx, k.id(), null, true).chain(view -> {
            Instant now = view.availableAt();
            if (view.status() != KeyStatus.USABLE) {
                return Uni.createFrom().item(view);
            }
            return tx.preparedQuery("INSERT INTO pipeline.kie_create (key_id, created_at) VALUES ($1, $2)")
                    .execute(Tuple.of(k.id(), utc(now)))
                    .map(ignored -> {
                        View taken = new View(KeyStatus.USABLE, now, null, view.creates() + 1);
                        seen.put(k.id(), taken);
                        return taken;
                    });
        });
    }

    /**
     * The key's row (locked when {@code lock}) and its creates in the window. With the lock, creates older than the
     * window are deleted first; the count is a statement after the lock, so it sees every create committed by the
     * instance that held the lock before.
     */
    private Uni<View> read(SqlClient c, String keyId, Instant at, boolean lock) {
        return c.preparedQuery("SELECT cool_until, disabled_until, disabled_class, unfunded FROM pipeline.kie_key "
                        + "WHERE key_id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(keyId))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    // with the lock: the time is read once it is held, so creates are recorded in lock order; in
                    // whole microseconds, as the database keeps created_at, so a create recorded now and the window's
                    // start compared later are on the same grain (else two creates a window apart could be counted
                    // in different windows by a fraction of a microsecond)
                    Instant now = (at == null ? clock.instant() : at).truncatedTo(ChronoUnit.MICROS);
                    Instant windowStart = now.minus(window);
                    Uni<?> cleaned = lock
                            ? c.preparedQuery("DELETE FROM pipeline.kie_create WHERE key_id = $1 AND created_at <= $2")
                                    .execute(Tuple.of(keyId, utc(windowStart)))
                            : Uni.createFrom().voidItem();
                    return cleaned.chain(() -> c.preparedQuery(
                                            "SELECT count(*) AS n, min(created_at) AS oldest FROM pipeline.kie_create "
                                                    + "WHERE key_id = $1 AND created_at > $2")
                                    .execute(Tuple.of(keyId, utc(windowStart))))
                            .map(counted -> {
                                Row n = counted.iterator().next();
                                View view = view(row, n.getLong("n").intValue(), instant(n, "oldest"), now);
                                seen.put(keyId, view);
                                return view;
                            });
                });
    }

    private View view(Row row, int creates, Instant oldest, Instant now) {
        Instant disabledUntil = instant(row, "disabled_until");
        Instant coolUntil = instant(row, "cool_until");
        if (now.isBefore(disabledUntil)) {
            String refusedAs = row.getString("disabled_class");
            return new View(
                    KeyStatus.DISABLED,
                    disabledUntil,
                    refusedAs == null ? ErrorClass.AUTH : ErrorClass.valueOf(refusedAs),
                    creates);
        }
        if (row.getBoolean("unfunded")) {
            return new View(KeyStatus.UNFUNDED, null, ErrorClass.BILLING, creates);
        }
        if (now.isBefore(coolUntil)) {
            return new View(KeyStatus.COOLING, coolUntil, null, creates);
        }
        if (creates >= limit) {
            return new View(KeyStatus.BUSY, oldest == null ? now.plus(window) : oldest.plus(window), null, creates);
        }
        return new View(KeyStatus.USABLE, now, null, creates);
    }

    /**
     * Why no key may create now, read without taking anything (a key with room counts as busy for a second: another
     * look will find it).
     */
    public Uni<Grant> shortage() {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(new Grant(null, Shortage.NO_KEYS, window, null));
        }
        Instant now = clock.instant();
        return registered()
                .chain(() -> pool.withConnection(c -> Multi.createFrom()
                        .iterable(keys)
                        .onItem()
                        .transformToUniAndConcatenate(k -> read(c, k.id(), now, false))
                        .collect()
                        .asList()))
                .map(views -> views.stream().anyMatch(v -> v.status() == KeyStatus.USABLE)
                        ? new Grant(null, Shortage.BUSY, Duration.ofSeconds(1), null)
                        : shortage(views));
    }

    /** Why none of these keys could create: busy beats unfunded beats refused (the soonest way out). */
    private Grant shortage(List<View> views) {
        Instant now = clock.instant();
        Instant soonest = views.stream()
                .filter(v -> v.status() == KeyStatus.BUSY || v.status() == KeyStatus.COOLING)
                .map(View::availableAt)
                .min(Instant::compareTo)
                .orElse(null);
        if (soonest != null) {
            return new Grant(null, Shortage.BUSY, atLeastASecond(Duration.between(now, soonest)), null);
        }
        if (views.stream().anyMatch(v -> v.status() == KeyStatus.UNFUNDED)) {
            return new Grant(null, Shortage.UNFUNDED, window, ErrorClass.BILLING);
        }
        Instant back = views.stream()
                .map(View::availableAt)
                .filter(a -> a != null)
                .min(Instant::compareTo)
                .orElse(now.plus(window));
        ErrorClass refusedAs = views.stream()
                .map(View::refusedAs)
                .filter(c -> c != null)
                .findFirst()
                .orElse(ErrorClass.AUTH);
        return new Grant(null, Shortage.REFUSED, atLeastASecond(Duration.between(now, back)), refusedAs);
    }

    /** KIE said 429 for this key: leave it alone for the cool-down (every instance). */
    public Uni<Void> rateLimited(Lease lease) {
        Instant until = clock.instant().plus(rateLimitCooldown);
        return registered()
                .chain(() -> pool.preparedQuery("UPDATE pipeline.kie_key SET cool_until = greatest(cool_until, $2), "
                                + "updated_at = now() WHERE key_id = $1")
                        .execute(Tuple.of(lease.keyId(), utc(until))))
                .replaceWithVoid();
    }

    /** KIE refused the key itself (401 AUTH, 433 key cap): out of rotation, and an operator has to look. */
    public Uni<Void> disable(Lease lease, ErrorClass why, Integer code) {
        Instant until = clock.instant().plus(disabledCooldown);
        return registered()
                .chain(() -> pool.preparedQuery("UPDATE pipeline.kie_key SET disabled_until = $2, disabled_class = $3, "
                                + "updated_at = now() WHERE key_id = $1")
                        .execute(Tuple.of(lease.keyId(), utc(until), why.name())))
                .invoke(() -> {
                    LOG.errorf(
                            "ALARM: KIE key %s refused with %s (%s); out of rotation for %s",
                            lease.keyId(), code, why, disabledCooldown);
                    if (registry != null) {
                        registry.counter("neurocards.kie.key.disabled", "key", lease.keyId(), "class", why.name())
                                .increment();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The key's balance ({@code balance}) cannot pay a request of {@code needed} credits: set aside until a balance of
     * at least {@code needed} is seen.
     */
    public Uni<Void> setAside(String keyId, long balance, long needed) {
        return registered()
                .chain(() -> pool.preparedQuery("UPDATE pipeline.kie_key SET unfunded = true, needed_credits = $2, "
                                + "balance = $3, balance_at = now(), updated_at = now() WHERE key_id = $1")
                        .execute(Tuple.of(keyId, needed, balance)))
                .invoke(() -> {
                    LOG.errorf(
                            "ALARM: KIE key %s cannot pay a request: %d credits left, %d needed; set aside until its "
                                    + "balance is topped up",
                            keyId, balance, needed);
                    if (registry != null) {
                        registry.counter("neurocards.kie.key.disabled", "key", keyId, "class", "BILLING")
                                .increment();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * A balance read for this key: remembered, and a set-aside key whose balance now pays what it could not comes back
     * into rotation. Yields whether it came back.
     */
    public Uni<Boolean> balanceSeen(String keyId, long balance) {
        return registered()
                .chain(() -> pool.preparedQuery("UPDATE pipeline.kie_key k SET balance = $2, balance_at = now(), "
                                + "unfunded = k.unfunded AND $2 < coalesce(k.needed_credits, 0), updated_at = now() "
                                + "FROM (SELECT unfunded FROM pipeline.kie_key WHERE key_id = $1 FOR UPDATE) AS old "
                                + "WHERE k.key_id = $1 RETURNING old.unfunded AND NOT k.unfunded AS back")
                        .execute(Tuple.of(keyId, balance)))
                .map(rows -> rows.size() > 0
                        && Boolean.TRUE.equals(rows.iterator().next().getBoolean("back")))
                .invoke(back -> {
                    if (back) {
                        LOG.infof("KIE key %s has %d credits again: back in rotation", keyId, balance);
                    }
                });
    }

    /**
     * The set-aside keys whose balance nobody checked within {@code interval}, now marked as checked: with several
     * instances, one of them asks KIE per key and interval.
     */
    public Uni<List<String>> unfundedDueForCheck(Duration interval) {
        Instant now = clock.instant();
        return registered()
                .chain(() -> pool.preparedQuery("UPDATE pipeline.kie_key SET balance_checked_at = $2 "
                                + "WHERE key_id = ANY($1) AND unfunded "
                                + "AND (balance_checked_at IS NULL OR balance_checked_at <= $3) RETURNING key_id")
                        .execute(Tuple.of(keyIds().toArray(String[]::new), utc(now), utc(now.minus(interval)))))
                .map(rows -> {
                    List<String> due = new ArrayList<>();
                    rows.forEach(r -> due.add(r.getString("key_id")));
                    return due;
                });
    }

    /**
     * Whether no key can pay now (every key set aside for its balance or refused, at least one for its balance),
     * recorded deployment-wide: yields the new value when this call changed it (one instance per crossing), else
     * empty.
     */
    public Uni<Optional<Boolean>> fundingCrossing() {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return registered()
                .chain(() -> pool.preparedQuery("WITH s AS (SELECT bool_and(unfunded OR disabled_until > $2) "
                                + "AND bool_or(unfunded) AS none FROM pipeline.kie_key WHERE key_id = ANY($1)) "
                                + "UPDATE pipeline.kie_funding f SET none_can_pay = s.none, changed_at = now() FROM s "
                                + "WHERE f.id = 1 AND f.none_can_pay <> s.none RETURNING f.none_can_pay")
                        .execute(Tuple.of(keyIds().toArray(String[]::new), utc(clock.instant()))))
                .map(rows -> rows.size() == 0
                        ? Optional.<Boolean>empty()
                        : Optional.of(rows.iterator().next().getBoolean("none_can_pay")));
    }

    /** The key with this fingerprint (for polling a task with the key that created it), else any key. */
    public Optional<String> keyFor(String keyId) {
        Optional<String> exact = find(keyId).map(Key::key);
        return exact.isPresent() ? exact : keys.stream().findFirst().map(Key::key);
    }

    /** Any key, for reads (polls do not count towards the create limit): one not refused, as last seen, if any. */
    public Optional<String> anyKey() {
        return keys.stream()
                .filter(k -> lastStatus(seen, k.id()) != KeyStatus.DISABLED)
                .findFirst()
                .or(() -> keys.stream().findFirst())
                .map(Key::key);
    }

    /** Every key's row exists (once per instance; concurrent instances insert the same rows at most once). */
    private Uni<Void> registered() {
        if (registered || keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("INSERT INTO pipeline.kie_key (key_id) SELECT unnest($1::text[]) "
                        + "ON CONFLICT (key_id) DO NOTHING")
                .execute(Tuple.tuple().addArrayOfString(keyIds().toArray(String[]::new)))
                .invoke(() -> registered = true)
                .replaceWithVoid();
    }

    private Optional<Key> find(String keyId) {
        return keys.stream().filter(k -> k.id().equals(keyId)).findFirst();
    }

    private static Duration atLeastASecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A timestamp column; null reads as the epoch. */
    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? Instant.EPOCH : value.toInstant();
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
