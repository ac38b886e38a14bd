package com.neurocards.telegram;

import java.time.Duration;
import java.util.Optional;

/** A {@link TelegramConfig} for tests: a bot token and Bot API base, a download cap, 5 s calls, Telegram's limits. */
record TestTelegramConfig(String botToken, String apiUrl, long maxDownloadBytes) implements TelegramConfig {

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Optional<String> supportContact() {
        return Optional.of("@neurocards_test_help");
    }

    @Override
    public Limits limits() {
        return new TestLimits(Duration.ofSeconds(1), 30, true);
    }

    record TestLimits(Duration perChatInterval, int globalPerSecond, boolean shared) implements Limits {}
}
