package com.neurocards.telegram;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

    /**
     * Where the bot's users reach a person ({@code SUPPORT_CONTACT}: a {@code @username} or an https link); read
     * through {@link SupportContact}, which also says what a valid one is.
     */
    Optional<String> supportContact();

    /** How fast the bot may send, for every service that speaks as it. */
    Limits limits();

    /**
     * The bot's numeric id: the part of the token before {@code ':'}, which Telegram publishes as the bot's user id
     * (not a secret). The shared send spacing is kept under it, never under the token.
     */
    default long botId() {
        return botId(botToken());
    }

    /** {@link #botId()} of a token; the refusal names no part of the token. */
    static long botId(String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        if (colon > 0) {
            try {
                return Long.parseLong(token.substring(0, colon));
            } catch (NumberFormatException e) {
                // falls through to the refusal below, which must not quote the token
            }
        }
        throw new IllegalArgumentException(
                "TELEGRAM_BOT_TOKEN is not a bot token (<numeric bot id>:<secret>, as @BotFather gives it)");
    }

    interface Limits {
        /** Telegram allows about one message per second in one chat. */
        @WithDefault("1s")
        Duration perChatInterval();

        /** …and about 30 per second for the whole bot. */
        @WithDefault("30")
        int globalPerSecond();

        /**
         * Whether the spacing is kept in PostgreSQL for every instance of every service speaking as the bot (schema
         * {@code telegram}), or in each process alone.
         */
        @WithDefault("true")
        boolean shared();
    }
}
