package com.neurocards.pipeline.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the pipeline stages are tuned by. Values come from {@code application.properties}, where the environment
 * variables of README.md#configuration ({@code KIE_*}, {@code LLM_*}) are mapped in. The HTTP clients' base URLs and timeouts are
 * the REST clients' own settings there ({@code quarkus.rest-client.kie|kie-upload|llm.*}).
 */
@ConfigMapping(prefix = "neurocards.pipeline")
public interface PipelineConfig {

    Kie kie();

    Llm llm();

    Poll poll();

    Deliver deliver();

    Bot bot();

    Sweep sweep();

    Progress progress();

    /** The progress message (docs/architecture.md#progress-on-the-card). */
    interface Progress {
        /**
         * How long a render usually takes, per KIE model ({@code usual-render-time.veo3_fast=1m-3m}): shown next to a
         * rendering video's elapsed time. A model named by none (nor by a prefix, {@code sora-2} for
         * {@code sora-2-image-to-video}) uses {@link #defaultUsualRenderTime()}.
         */
        Map<String, String> usualRenderTime();

        @WithDefault("2m-5m")
        String defaultUsualRenderTime();

        /**
         * While a video renders, its elapsed time is shown again at most this often (in whole minutes, so its
         * caption changes about once a minute); besides, the message is edited when a job's state changes.
         */
        @WithDefault("30s")
        Duration refreshInterval();

        /**
         * Events the notify queue hands this instance at once. Most of them wait for their chat's turn (a message a
         * second per chat), one chat's at a time and before their transaction, holding no connection or thread: more
         * than the stages' usual prefetch, so that the progress of busy chats does not keep every other chat's waiting.
         */
        @WithDefault("64")
        int prefetch();
    }

    /**
     * Every job's overall deadline, counted from the moment it was funded: prompt, submission waits, its renders and
     * delivery must all fit (docs/architecture.md#every-funded-job-ends). Past it plus {@code sweep.job-grace}, a job
     * not ended is failed (TIMEOUT) and refunded, whatever stage it is in; the deliver stage never delivers past it.
     */
    @WithDefault("60m")
    Duration jobDeadline();

    /** Telegram user ids of the operators (their private chats) who get alarms such as low KIE credits. */
    Optional<List<Long>> adminChatIds();

    Journal journal();

    interface Journal {
        /** Whether this instance consumes {@code pipeline.journal} (it also needs the messaging consumers on). */
        @WithDefault("true")
        boolean enabled();

        /** Journal rows older than this are deleted. */
        @WithDefault("14d")
        Duration retention();

        /** How often every instance deletes expired rows (deleting is idempotent). */
        @WithDefault("1h")
        Duration retentionInterval();

        /** At most this many messages are stored in one insert. */
        @WithDefault("200")
        int batchSize();

        /** A batch is stored at the latest this long after its first message arrived. */
        @WithDefault("200ms")
        Duration flushInterval();
    }

    interface Sweep {
        /** How often every instance looks for jobs whose render outlived its deadline (the net under the poll chain). */
        @WithDefault("60s")
        Duration interval();

        /** A render is swept this long after its deadline, so the poll chain has its chance to end it first. */
        @WithDefault("2m")
        Duration grace();

        /**
         * A job is swept this long after its overall deadline ({@code job-deadline}): longer than one delivery that
         * started just before it (the download's {@code download-deadline} plus the upload), so a video being sent is
         * never refunded as well.
         */
        @WithDefault("10m")
        Duration jobGrace();
    }

    interface Kie {
        /** KIE API base, e.g. {@code https://api.kie.ai}. */
        String apiUrl();

        /** KIE file-upload base (a different host on the real service). */
        String uploadUrl();

        /** One or more API keys; several rotate. Secrets: never logged. */
        Optional<List<String>> apiKeys();

        /** The Veo model a request without its own uses. */
        @WithDefault("veo3_fast")
        String model();

        /** Public base URL KIE can POST callbacks to; none = poll only. */
        Optional<String> callbackUrl();

        /** Key of KIE's optional callback HMAC signature. */
        Optional<String> webhookHmacKey();

        /** The secret path segment of the callback endpoint; derived from the first API key when not set. */
        Optional<String> callbackSecret();

        /**
         * A signed callback whose {@code X-Webhook-Timestamp} is further than this from now (either way) is refused:
         * a captured callback cannot be replayed later.
         */
        @WithDefault("5m")
        Duration callbackFreshness();

        /** KIE accepts about 20 new tasks per 10 s per key; excess is dropped with 429, not queued. */
        @WithDefault("18")
        int createsPerWindow();

        @WithDefault("10s")
        Duration rateWindow();

        /** How long a key that got a 429 is left alone. */
        @WithDefault("10s")
        Duration rateLimitCooldown();

        /**
         * How long a key refused with 401/433 stays out of rotation before it is tried again (a 402 is decided by the
         * key's balance instead: {@link #fundingCheckInterval()}).
         */
        @WithDefault("10m")
        Duration disabledCooldown();

        /**
         * KIE credits one create costs, per model ({@code model-cost.veo3_fast=60}): a key whose balance is below the
         * cost of a request it was refused (402) for is set aside until topped up.
         */
        Map<String, Long> modelCost();

        /** The cost of a create of a model {@link #modelCost()} does not name. */
        @WithDefault("250")
        long defaultModelCost();

        /**
         * While a key is set aside for its balance, it is read this often (one instance per interval); jobs that find
         * no key able to pay look again this often.
         */
        @WithDefault("30s")
        Duration fundingCheckInterval();

        /**
         * How long a job may wait for a KIE top-up when no key can pay, counted from its creation (a job with a
         * deadline waits until that instead); then it fails as BILLING and is refunded.
         */
        @WithDefault("20m")
        Duration fundingWait();

        /** How often each key's KIE credit balance is checked ({@code GET /api/v1/chat/credit}). */
        @WithDefault("10m")
        Duration creditCheckInterval();

        /** Below this balance the admins are alerted (once per crossing, again after {@link #creditAlertRepeat()}). */
        @WithDefault("1000")
        long creditAlertThreshold();

        /** While a balance stays low, the alert is repeated this often (not on every check). */
        @WithDefault("24h")
        Duration creditAlertRepeat();

        /** An uploaded photo is reused for this long (KIE keeps uploads 3 days; one report says 24 h). */
        @WithDefault("20h")
        Duration uploadReuse();
    }

    interface Llm {
        /** OpenAI-compatible base; the client calls {@code <url>/v1/chat/completions}. */
        Optional<String> apiUrl();

        /** No key: the built-in templates write the prompts. */
        Optional<String> apiKey();

        @WithDefault("gpt-4o-mini")
        String model();

        /** Tries of the LLM per request before the built-in templates take over. */
        @WithDefault("2")
        int attempts();

        Vision vision();
    }

    /**
     * Whether the prompt writer shows the LLM the product photo (docs/architecture.md#the-prompt-writer-sees-the-product).
     * The photo is downloaded from Telegram, capped, and sent as a {@code data:} URL in an {@code image_url} part.
     */
    interface Vision {
        /**
         * {@code LLM_VISION}: the configured model ({@code LLM_MODEL}) accepts images. A model that refuses them
         * (HTTP 4xx) costs one call: the request's next attempt is text-only.
         */
        @WithDefault("true")
        boolean enabled();

        /** A photo larger than this is not downloaded for the LLM: the prompts are written from the text alone. */
        @WithDefault("5242880")
        long maxPhotoBytes();

        /**
         * Photos held for the LLM at once (each at most {@code max-photo-bytes}, plus its base64 copy); a request that
         * finds none free within {@code wait} is written from the text alone.
         */
        @WithDefault("3")
        int concurrency();

        @WithDefault("10s")
        Duration roomWait();

        /** OpenAI's {@code image_url.detail}: {@code low} (a 512 px view, a fixed small token cost), {@code high}, {@code auto}. */
        @WithDefault("low")
        String detail();
    }

    interface Poll {
        /** How long a render may take from submission before the job fails with TIMEOUT. */
        @WithDefault("15m")
        Duration deadline();

        /** Waits before poll 1, 2, 3, …; the last one repeats. Rounded up to the delay tiers. */
        @WithDefault("15s,15s,30s,30s,60s")
        List<Duration> schedule();

        /** Renders per job: a render KIE fails for a temporary reason is submitted again, up to this many in all. */
        @WithDefault("2")
        int maxRenderAttempts();
    }

    interface Deliver {
        /** Telegram's cap for bot uploads; a bigger video is sent as a link. */
        @WithDefault("52428800")
        long maxUploadBytes();

        /** A result download whose connection or body stays silent this long fails (and is retried). */
        @WithDefault("120s")
        Duration downloadTimeout();

        /** A result download (redirects and body together) still running after this long fails (and is retried). */
        @WithDefault("5m")
        Duration downloadDeadline();

        /**
         * The slowest upload to Telegram still expected to succeed, in bytes per second: a {@code sendVideo} may take
         * {@link #uploadBaseTimeout()} plus its size at this rate (50 MB at 256 KiB/s: 30 s + 200 s) before it is
         * given up as a send whose answer was lost.
         */
        @WithDefault("262144")
        long uploadMinBytesPerSecond();

        /** What an upload may take beyond its size at {@link #uploadMinBytesPerSecond()} (Telegram's own processing). */
        @WithDefault("30s")
        Duration uploadBaseTimeout();

        /**
         * Bytes of videos the deliver stage may hold in memory at once. Each delivery reserves the upload cap before it
         * downloads: the default (192 MiB) with the 50 MB cap lets 3 videos be in memory at once, which fits a 512 MB
         * container; the other deliveries wait, without holding a thread. At least the upload cap.
         */
        @WithDefault("201326592")
        long memoryBudget();

        /** Redirects a result download follows, each one checked like the first URL. */
        @WithDefault("5")
        int maxRedirects();

        /**
         * Videos the deliver queue hands this instance at once. Most of them wait for their chat's turn (a message a
         * second per chat: a five-video request's videos and progress edits take about ten seconds of one chat),
         * holding no memory, thread or connection: one video per chat is downloaded and sent at a time, within
         * {@link #memoryBudget()}. More than the stages' usual prefetch, so that one busy chat does not keep every
         * other seller's video waiting.
         */
        @WithDefault("64")
        int prefetch();

        /**
         * Hosts ({@code host} or {@code host:port}) results may be downloaded from over plain HTTP and on any address
         * (the local KIE emulator); everything else must be HTTPS to a public address. None in production.
         */
        Optional<List<String>> allowedHosts();
    }

    /** The bot's limits themselves are {@code neurocards.telegram.limits.*}, shared with the gateway. */
    interface Bot {
        /** A send waits in-process at most this long for its turn; beyond, it goes through the delay tiers. */
        @WithDefault("2s")
        Duration maxWait();
    }
}
