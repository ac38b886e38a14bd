package com.neurocards.telegram;

import java.time.Duration;

/** A {@link TelegramConfig} for tests: a bot token and Bot API base, a download cap, 5 s calls. */
record TestTelegramConfig(String botToken, String apiUrl, long maxDownloadBytes) implements TelegramConfig {

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(5);
    }
}
