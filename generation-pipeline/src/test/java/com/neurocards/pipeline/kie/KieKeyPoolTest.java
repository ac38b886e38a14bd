package com.neurocards.pipeline.kie;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.kie.KieKeyPool.KeyStatus;
import com.neurocards.pipeline.kie.KieKeyPool.Shortage;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.LocalServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The key pool's promises, on its PostgreSQL store (pipeline.kie_key, pipeline.kie_create): the per-key create
 * window, rotation, 429 cool-down, refusals, balance set-aside, fingerprints only — and that the window holds for
 * several instances at once, each with a pool of its own, as separate processes would have.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
class KieKeyPoolTest {

    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Keys of their own per test: the store outlives a test. */
    private static List<String> keys(String... names) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = new ArrayList<>();
        for (String name : names) {
            keys.add(name + "-" + run);
        }
        return keys;
    }

    private KieKeyPool pool(List<String> keys) {
        return new KieKeyPool(
                pool,
                keys,
                20,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMinutes(10),
                clock,
                registry);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void oneKeyMakesAtMostTwentyCreatesPerTenSeconds() {
        KieKeyPool keys = pool(keys("k1"));
        for (int i = 0; i < 20; i++) {
            assertThat(await(keys.acquire()).leased()).isPresent();
        }
        KieKeyPool.Grant none = await(keys.acquire());
        assertThat(none.leased()).isEmpty();
        assertThat(none.shortage()).isEqualTo(Shortage.BUSY);
        assertThat(none.waitFor()).isEqualTo(Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(10);
        assertThat(await(keys.acquire()).leased()).isPresent();
    }

    @Test
    void severalKeysRotateAndAddUp() {
        List<String> names = keys("k1", "k2");
        KieKeyPool keys = pool(names);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            used.add(await(keys.acquire()).leased().orElseThrow().key());
        }
        assertThat(used).filteredOn(names.get(0)::equals).hasSize(20);
        assertThat(used.subList(0, 4)).containsExactly(names.get(0), names.get(1), names.get(0), names.get(1));
        assertThat(await(keys.acquire()).leased()).isEmpty();
    }

    @Test
    void aRateLimitedKeyCoolsDownWhileTheOthersWork() {
        KieKeyPool keys = pool(keys("k1", "k2"));
        KieKeyPool.Lease first = await(keys.acquire()).leased().orElseThrow();
        await(keys.rateLimited(first));
        assertThat(await(keys.status(first.keyId()))).isEqualTo(KeyStatus.COOLING);
        for (int i = 0; i < 5; i++) {
            assertThat(await(keys.acquire()).leased().orElseThrow().key()).isNotEqualTo(first.key());
        }
        clock.now = clock.now.plusSeconds(11);
        assertThat(List.of(
                        await(keys.acquire()).leased().orElseThrow().key(),
                        await(keys.acquire()).leased().orElseThrow().key()))
                .contains(first.key());
    }

    @Test
    void aRefusedKeyLeavesTheRotationWithAnAlarm() {
        KieKeyPool keys = pool(keys("k1"));
        await(keys.disable(await(keys.acquire()).leased().orElseThrow(), ErrorClass.AUTH, 401));
        KieKeyPool.Grant none = await(keys.acquire());
        assertThat(none.leased()).isEmpty();
        assertThat(none.shortage()).isEqualTo(Shortage.REFUSED);
        assertThat(none.refusedAs()).isEqualTo(ErrorClass.AUTH);
        assertThat(registry.get("neurocards.kie.key.disabled").counter().count())
                .isEqualTo(1.0);
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(await(keys.acquire()).leased()).isPresent();
    }

    @Test
    void aKeyThatCannotPayIsSetAsideUntilABalanceShowsEnoughWithoutATimer() {
        List<String> names = keys("k1", "k2");
        KieKeyPool keys = pool(names);
        String poor = KieKeyPool.fingerprint(names.get(0));
        String rich = KieKeyPool.fingerprint(names.get(1));
        await(keys.fundingCrossing()); // whatever an earlier test left
        await(keys.setAside(poor, 10, 60));
        assertThat(await(keys.status(poor))).isEqualTo(KeyStatus.UNFUNDED);
        for (int i = 0; i < 3; i++) {
            assertThat(await(keys.acquire()).leased().orElseThrow().keyId()).isEqualTo(rich);
        }
        // a day later, still set aside: only a balance brings it back
        clock.now = clock.now.plus(Duration.ofDays(1));
        assertThat(await(keys.status(poor))).isEqualTo(KeyStatus.UNFUNDED);
        assertThat(await(keys.balanceSeen(poor, 59))).isFalse();
        assertThat(await(keys.status(poor))).isEqualTo(KeyStatus.UNFUNDED);

        // both set aside: no key can pay, and exactly one call sees the crossing
        await(keys.setAside(rich, 0, 60));
        KieKeyPool.Grant none = await(keys.acquire());
        assertThat(none.shortage()).isEqualTo(Shortage.UNFUNDED);
        assertThat(await(keys.fundingCrossing())).contains(true);
        assertThat(await(keys.fundingCrossing())).isEmpty();
        // one instance per interval asks KIE for the balances
        assertThat(await(keys.unfundedDueForCheck(Duration.ofSeconds(30)))).containsExactlyInAnyOrder(poor, rich);
        assertThat(await(keys.unfundedDueForCheck(Duration.ofSeconds(30)))).isEmpty();

        assertThat(await(keys.balanceSeen(poor, 60))).isTrue();
        assertThat(await(keys.balanceSeen(poor, 60))).isFalse();
        assertThat(await(keys.fundingCrossing())).contains(false);
        assertThat(await(keys.acquire()).leased().orElseThrow().keyId()).isEqualTo(poor);
    }

    @Test
    void keysAreKnownByFingerprintOnly() throws Exception {
        List<String> names = keys("secret-key-1");
        KieKeyPool keys = pool(names);
        KieKeyPool.Lease lease = await(keys.acquire()).leased().orElseThrow();
        assertThat(lease.keyId()).doesNotContain("secret").hasSize(12);
        assertThat(lease.toString()).doesNotContain("secret");
        assertThat(keys.keyFor(lease.keyId())).contains(names.get(0));
        String stored = await(pool.query("SELECT string_agg(key_id, ',') AS ids FROM pipeline.kie_key "
                                + "UNION ALL SELECT string_agg(key_id, ',') FROM pipeline.kie_create")
                        .execute())
                .iterator()
                .next()
                .getString("ids");
        assertThat(stored).contains(lease.keyId()).doesNotContain("secret");
    }

    /**
     * Three instances, each with its own database pool, offered 60 creates on one key within a second: no window of
     * the key ever holds more than the limit, and every create is made exactly once.
     */
    @Test
    void theCreateWindowHoldsAcrossInstances() {
        int limit = 18;
        Duration window = Duration.ofSeconds(2);
        List<String> key = keys("shared");
        List<Pool> pools = new ArrayList<>();
        List<KieKeyPool> instances = instances(key, limit, window, pools);
        try {
            ConcurrentLinkedQueue<Instant> granted = new ConcurrentLinkedQueue<>();
            ConcurrentHashMap<Integer, Integer> createdOnce = new ConcurrentHashMap<>();
            AtomicInteger attempts = new AtomicInteger();
            List<Uni<Void>> creates = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int create = i;
                KieKeyPool instance = instances.get(i % 3);
                creates.add(createOnce(instance, create, granted, createdOnce, attempts));
            }
            Uni.join().all(creates).andCollectFailures().await().atMost(Duration.ofSeconds(90));

            assertThat(createdOnce).hasSize(60).allSatisfy((create, times) -> assertThat(times)
                    .isEqualTo(1));
            List<Instant> times = new ArrayList<>(granted);
            Collections.sort(times);
            assertThat(times).hasSize(60);
            for (int i = 0; i + limit < times.size(); i++) {
                // the (limit+1)-th create after any create is at least a window later
                assertThat(Duration.between(times.get(i), times.get(i + limit)))
                        .as("creates %d..%d", i, i + limit)
                        .isGreaterThanOrEqualTo(window);
            }
            assertThat(attempts.get()).as("the limiter held creates back").isGreaterThan(60);
        } finally {
            pools.forEach(p -> p.close().await().indefinitely());
        }
    }

    /**
     * Three instances, each with its own database pool, see "no key can pay" and then "a key can again" at the same
     * moment: the admins would hear once per crossing, not once per instance.
     */
    @Test
    void aFundingCrossingIsSeenByExactlyOneInstance() {
        List<String> names = keys("p1", "p2");
        List<Pool> pools = new ArrayList<>();
        List<KieKeyPool> instances = instances(names, 18, Duration.ofSeconds(10), pools);
        try {
            KieKeyPool first = instances.get(0);
            await(first.fundingCrossing()); // whatever an earlier test left
            for (String name : names) {
                await(first.setAside(KieKeyPool.fingerprint(name), 0, 60));
            }
            assertThat(crossingsSeenByAll(instances)).as("no key can pay").containsExactly(true);
            assertThat(crossingsSeenByAll(instances)).as("already recorded").isEmpty();

            assertThat(await(instances.get(1).balanceSeen(KieKeyPool.fingerprint(names.get(1)), 1_000)))
                    .isTrue();
            assertThat(crossingsSeenByAll(instances)).as("a key can pay again").containsExactly(false);
            assertThat(crossingsSeenByAll(instances)).as("already recorded").isEmpty();
        } finally {
            pools.forEach(p -> p.close().await().indefinitely());
        }
    }

    /** Every instance looks for the crossing four times at once; the changes they saw. */
    private static List<Boolean> crossingsSeenByAll(List<KieKeyPool> instances) {
        List<Uni<Optional<Boolean>>> looks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.forEach(instance -> looks.add(instance.fundingCrossing()));
        }
        List<Optional<Boolean>> seen =
                Uni.join().all(looks).andFailFast().await().atMost(Duration.ofSeconds(30));
        return seen.stream().flatMap(Optional::stream).toList();
    }

    /** Three pools of these keys, each on a database pool of its own (added to {@code pools}, for closing). */
    private List<KieKeyPool> instances(List<String> keys, int limit, Duration window, List<Pool> pools) {
        PgConnectOptions connect = PgConnectOptions.fromUri(databaseUrl)
                .setUser(LocalServices.dbUser())
                .setPassword(LocalServices.dbPassword());
        List<KieKeyPool> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pool own = PgPool.pool(vertx, connect, new PoolOptions().setMaxSize(4));
            pools.add(own);
            instances.add(new KieKeyPool(
                    own, keys, limit, window, Duration.ofSeconds(10), Duration.ofMinutes(10), Clock.systemUTC(), null));
        }
        return instances;
    }

    /** One create: asks its instance until a key is lent (waiting as the pool says), then counts it. */
    private static Uni<Void> createOnce(
            KieKeyPool instance,
            int create,
            ConcurrentLinkedQueue<Instant> granted,
            ConcurrentHashMap<Integer, Integer> createdOnce,
            AtomicInteger attempts) {
        return Uni.createFrom()
                .deferred(() -> {
                    attempts.incrementAndGet();
                    return instance.acquire();
                })
                .chain(grant -> {
                    if (grant.leased().isPresent()) {
                        granted.add(grant.grantedAt());
                        createdOnce.merge(create, 1, Integer::sum);
                        return Uni.createFrom().voidItem();
                    }
                    Duration wait = grant.waitFor().compareTo(Duration.ofMillis(200)) > 0
                            ? Duration.ofMillis(200)
                            : grant.waitFor();
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(wait)
                            .chain(() -> createOnce(instance, create, granted, createdOnce, attempts));
                });
    }
}
