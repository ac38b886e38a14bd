package com.neurocards.pipeline.kie;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KieKeyPoolTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private KieKeyPool pool(String... keys) {
        return new KieKeyPool(
                List.of(keys),
                20,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMinutes(10),
                clock,
                registry);
    }

    @Test
    void oneKeyMakesAtMostTwentyCreatesPerTenSeconds() {
        KieKeyPool pool = pool("k1");
        for (int i = 0; i < 20; i++) {
            assertThat(pool.acquire()).isPresent();
        }
        assertThat(pool.acquire()).isEmpty();
        assertThat(pool.nextAvailableIn()).isEqualTo(Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(10);
        assertThat(pool.acquire()).isPresent();
    }

    @Test
    void severalKeysRotateAndAddUp() {
        KieKeyPool pool = pool("k1", "k2");
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            used.add(pool.acquire().orElseThrow().key());
        }
        assertThat(used).filteredOn("k1"::equals).hasSize(20);
        assertThat(used.subList(0, 4)).containsExactly("k1", "k2", "k1", "k2");
        assertThat(pool.acquire()).isEmpty();
    }

    @Test
    void aRateLimitedKeyCoolsDownWhileTheOthersWork() {
        KieKeyPool pool = pool("k1", "k2");
        KieKeyPool.Lease first = pool.acquire().orElseThrow();
        pool.rateLimited(first);
        for (int i = 0; i < 5; i++) {
            assertThat(pool.acquire().orElseThrow().key()).isNotEqualTo(first.key());
        }
        clock.now = clock.now.plusSeconds(11);
        assertThat(List.of(
                        pool.acquire().orElseThrow().key(),
                        pool.acquire().orElseThrow().key()))
                .contains(first.key());
    }

    @Test
    void aRefusedKeyLeavesTheRotationWithAnAlarm() {
        KieKeyPool pool = pool("k1");
        pool.disable(pool.acquire().orElseThrow(), ErrorClass.BILLING, 402);
        assertThat(pool.acquire()).isEmpty();
        assertThat(pool.allDisabled()).isTrue();
        assertThat(registry.get("neurocards.kie.key.disabled").counter().count())
                .isEqualTo(1.0);
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(pool.acquire()).isPresent();
    }

    @Test
    void keysAreKnownByFingerprintOnly() {
        KieKeyPool pool = pool("secret-key-1");
        KieKeyPool.Lease lease = pool.acquire().orElseThrow();
        assertThat(lease.keyId()).doesNotContain("secret").hasSize(12);
        assertThat(lease.toString()).doesNotContain("secret");
        assertThat(pool.keyFor(lease.keyId())).contains("secret-key-1");
    }
}
