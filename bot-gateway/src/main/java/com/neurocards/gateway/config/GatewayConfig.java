package com.neurocards.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the gateway itself reads (README.md#configuration names, mapped in application.properties). */
@ConfigMapping(prefix = "neurocards.gateway")
public interface GatewayConfig {

    /**
     * How updates arrive: long polling (any number of instances, one of them polling at a time, the others standing
     * by) or a webhook (any number of instances behind a load balancer, all of them serving).
     */
    @WithDefault("polling")
    Mode mode();

    Webhook webhook();

    Polling polling();

    /** Telegram user ids allowed to use admin commands. */
    Optional<List<Long>> adminUserIds();

    /**
     * Credits one video of each model costs (KIE's model name → price; {@code MODEL_PRICE_*}), shown on the model and
     * count buttons and the confirmation card; billing charges the same variables (docs/decisions/0018-model-prices.md).
     */
    Map<String, Long> modelPrices();

    /** The aspect ratio every request asks for. */
    @WithDefault("9:16")
    String aspectRatio();

    /** Credit packs sold for Stars, each {@code id:credits:stars}. */
    @WithDefault("s:10:100,m:30:250,l:100:700")
    List<String> packs();

    Billing billing();

    Limits limits();

    UpdateLog updateLog();

    Flood flood();

    enum Mode {
        POLLING,
        WEBHOOK
    }

    interface Webhook {
        /** The public HTTPS URL Telegram posts updates to (ends with {@code /telegram/webhook}). */
        Optional<String> url();

        /** Telegram sends it in {@code X-Telegram-Bot-Api-Secret-Token}; requests without it are refused. */
        Optional<String> secret();

        /** Register the webhook with Telegram at start-up (off when an operator does it by hand). */
        @WithDefault("true")
        boolean register();
    }

    interface Polling {
        /** Seconds one getUpdates call waits for updates. */
        @WithDefault("25")
        int timeoutSeconds();

        /** Whether this instance polls at all (off for tools and some tests). */
        @WithDefault("true")
        boolean enabled();

        /** Users handled in parallel within one batch of updates (one user's updates stay in order). */
        @WithDefault("8")
        int parallelism();

        /**
         * How long the replies of one batch are waited for before the next getUpdates (which confirms the batch): 0 in
         * production (nothing to protect: a redelivered update is a no-op); tests wait so that an update seen
         * confirmed has been answered.
         */
        @WithDefault("0s")
        Duration replyWait();

        /**
         * How often a gateway that is not polling (another instance holds the bot's polling lease) tries to take the
         * lease over; also how soon a standby takes over from a polling instance that died.
         */
        @WithDefault("2s")
        Duration standbyCheck();
    }

    /** Billing's internal API; its base URL and timeouts are the REST client's ({@code quarkus.rest-client.billing.*}). */
    interface Billing {
        /** Billing's shared secret for its internal API ({@code BILLING_INTERNAL_TOKEN}), sent when set. */
        Optional<String> internalToken();
    }

    /**
     * The per-user limit on messages and button presses (payments are never limited): past it the bot sends one
     * notice and then ignores the user until the limit clears.
     */
    interface Flood {
        @WithDefault("true")
        boolean enabled();

        /** Messages and presses a user may send at once. */
        @WithDefault("10")
        int burst();

        /** Messages and presses a minute a user may keep sending after the burst. */
        @WithDefault("30")
        int perMinute();
    }

    interface UpdateLog {
        /** How often the ids of handled updates past their retention (a week) are deleted. */
        @WithDefault("1h")
        Duration cleaningInterval();
    }

    interface Limits {
        @WithDefault("1000")
        int descriptionMaxChars();

        @WithDefault("1000")
        int wishesMaxChars();

        @WithDefault("2000")
        int promptMaxChars();

        /** Telegram lets bots download files up to 20 MB; a bigger photo could never reach the renderer. */
        @WithDefault("20971520")
        long photoMaxBytes();

        /** Generations listed under "My videos". */
        @WithDefault("8")
        int myVideos();
    }
}
