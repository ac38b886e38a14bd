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
        // another chat is not held back by chat 1's pace (it was, by two seconds, when the bot had one next moment)
        assertThat(throttle.reserveNow(2)).isZero();
    }

    @Test
    void theWholeBotStaysUnderItsGlobalRate() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        Duration last = Duration.ZERO;
        for (long chat = 0; chat < 30; chat++) {
            last = throttle.reserveNow(chat);
        }
        // three a window of 100 ms: the 30th in the tenth window, the 31st in the next second
        assertThat(last).isEqualTo(Duration.ofMillis(900));
        assertThat(throttle.reserveNow(30)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void theWaitForAChatsTurnIsToldWithoutReservingIt() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        assertThat(throttle.untilFreeNow(1)).isZero();
        assertThat(throttle.reserveNow(1)).isZero();
        assertThat(throttle.untilFreeNow(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.untilFreeNow(1)).isEqualTo(Duration.ofSeconds(1));
        // asking twice reserved nothing: the next send is still a second after the first
        assertThat(throttle.reserveNow(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.untilFreeNow(2)).isZero();
        throttle.backOffNow(3, Duration.ofSeconds(5));
        assertThat(throttle.untilFreeNow(3)).as("longer than maxWait: negated").isEqualTo(Duration.ofSeconds(-5));
    }

    @Test
    void aTelegram429PushesTheChatBack() {
        ChatThrottle throttle = new ChatThrottle(Duration.ofSeconds(1), 30, Duration.ofSeconds(2), clock);
        throttle.backOffNow(7, Duration.ofSeconds(5));
        assertThat(throttle.reserveNow(7)).isEqualTo(Duration.ofSeconds(5).negated());
    }
}
