package com.neurocards.telegram;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The bot and where its Bot API is ({@code TELEGRAM_BOT_TOKEN}, {@code TELEGRAM_API_URL}; README.md#configuration). */
@ConfigMapping(prefix = "neurocards.telegram")
public interface TelegramConfig {

    /** The bot token. A secret: it is also inside every Telegram file URL. */
    String botToken();

    /** Scheme, host and port of the Bot API, used for every call and every file download. */
    @WithDefault("https://api.telegram.org")
    String apiUrl();

    /** Telegram's own cap on files a bot can download ({@code getFile}): 20 MB. */
    @WithDefault("20971520")
    long maxDownloadBytes();

    @WithDefault("30s")
    Duration timeout();
}
