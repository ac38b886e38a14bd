package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChatThrottleTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void oneChatGetsAboutOneMessagePerSecond() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        assertThat(throttle.reserveNow(1)).isZero();
        assertThat(throttle.reserveNow(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.reserveNow(1)).isEqualTo(Duration.ofSeconds(2));
        // the next one would have to wait 3 s: more than we wait in-process, so it is handed back
        assertThat(throttle.reserveNow(1)).isEqualTo(Duration.ofSeconds(3).negated());
        assertThat(throttle.reserveNow(2)).isLessThan(Duration.ofMillis(200));
    }

    @Test
    void theWholeBotStaysUnderItsGlobalRate() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        Duration last = Duration.ZERO;
        for (long chat = 0; chat < 30; chat++) {
            last = throttle.reserveNow(chat);
        }
        assertThat(last).isBetween(Duration.ofMillis(900), Duration.ofMillis(1000));
    }

    @Test
    void aTelegram429PushesTheChatBack() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        throttle.backOffNow(7, Duration.ofSeconds(5));
        assertThat(throttle.reserveNow(7)).isEqualTo(Duration.ofSeconds(5).negated());
    }
}
