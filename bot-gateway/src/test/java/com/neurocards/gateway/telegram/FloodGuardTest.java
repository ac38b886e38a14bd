package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.gateway.telegram.FloodGuard.Verdict;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FloodGuardTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstIsAllowedThenOneNoticeThenSilenceUntilTheLimitClears() {
        FloodGuard guard = new FloodGuard(true, 3, 6, now::get); // a token every 10 s

        assertThat(guard.check(1)).isEqualTo(Verdict.ALLOW);
        assertThat(guard.check(1)).isEqualTo(Verdict.ALLOW);
        assertThat(guard.check(1)).isEqualTo(Verdict.ALLOW);
        assertThat(guard.check(1)).isEqualTo(Verdict.NOTICE);
        assertThat(guard.limited(1)).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(guard.check(1)).isEqualTo(Verdict.DROP);
        }
        assertThat(guard.check(2)).as("another user is not affected").isEqualTo(Verdict.ALLOW);

        advance(Duration.ofSeconds(10));
        assertThat(guard.limited(1)).isFalse();
        assertThat(guard.check(1)).isEqualTo(Verdict.ALLOW);
        assertThat(guard.check(1)).as("told again the next time").isEqualTo(Verdict.NOTICE);
        assertThat(guard.check(1)).isEqualTo(Verdict.DROP);
    }

    @Test
    void aDisabledGuardAllowsEverything() {
        FloodGuard guard = new FloodGuard(false, 0, 0, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(guard.check(1)).isEqualTo(Verdict.ALLOW);
        }
        assertThat(guard.limited(1)).isFalse();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
