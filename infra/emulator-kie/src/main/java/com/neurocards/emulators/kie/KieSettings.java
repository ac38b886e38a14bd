package com.neurocards.emulators.kie;

import com.neurocards.emulators.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link KieEmulator} behaves. Defaults follow docs/outside-services.md#kie (20 creates / 10 s, 3-day
 * uploads, 14-day records, errors as HTTP 200); tests shorten the render and move an {@link ManualClock} instead of
 * sleeping. Fluent setters; read once when the emulator starts, except where the emulator exposes a runtime setter.
 */
public final class KieSettings {

    /** The key {@link KieEmulator} accepts unless told otherwise. */
    public static final String DEFAULT_API_KEY = "kie-emulator-key-0001";

    /** How envelope errors travel: the real default (HTTP 200, code in the body) or mirrored into the HTTP status. */
    public enum StatusMode {
        ALWAYS_200,
        MIRROR_CODE
    }

    /** Which Veo aspect-ratio key the server honours (unconfirmed: docs/outside-services.md#kie-video-create). */
    public enum AspectRatioKeys {
        BOTH_CAMEL_FIRST,
        CAMEL_ONLY,
        SNAKE_ONLY
    }

    /** Rate window per API key (brief) or shared by the whole account (docs). */
    public enum RateScope {
        PER_KEY,
        PER_ACCOUNT
    }

    private final Set<String> apiKeys = new LinkedHashSet<>(List.of(DEFAULT_API_KEY));
    private long credits = 100_000;
    private int createsPerWindow = 20;
    private Duration rateWindow = Duration.ofSeconds(10);
    private RateScope rateScope = RateScope.PER_KEY;
    private int renderPolls = 2;
    private Duration renderTime = Duration.ZERO;
    private int hdPolls = 1;
    private Duration uploadRetention = Duration.ofDays(3);
    private Duration recordRetention = Duration.ofDays(14);
    private String webhookHmacKey;
    private StatusMode statusMode = StatusMode.ALWAYS_200;
    private AspectRatioKeys aspectRatioKeys = AspectRatioKeys.BOTH_CAMEL_FIRST;
    private boolean resultUrlsAsJsonString;
    private boolean marketUsesMessageKey;
    private boolean imageFetchFailureAsEnvelope451;
    private boolean refundFailedTasks = true;
    private Duration imageFetchTimeout = Duration.ofSeconds(10);
    private Duration callbackTimeout = Duration.ofSeconds(15);
    private Duration tickInterval = Duration.ofMillis(100);
    private double faultRate;
    private long faultSeed = 17;
    private Duration faultRenderTime = Duration.ofHours(1);
    private long maxImageBytes = 10L * 1024 * 1024;
    private long maxUploadBytes = 200L * 1024 * 1024;
    private String publicBaseUrl;
    private Clock clock = Clock.systemUTC();
    private final Set<String> veoModels = new LinkedHashSet<>(List.of("veo3_fast", "veo3", "veo3_lite"));
    private final Map<String, Integer> modelCosts = new LinkedHashMap<>(Map.of(
            "veo3_fast",
            60,
            "veo3",
            250,
            "veo3_lite",
            30,
            "sora-2-image-to-video",
            30,
            "sora-2-text-to-video",
            30,
            "sora-2-pro-image-to-video",
            150,
            "sora-2-pro-text-to-video",
            150));
    private final Set<String> marketModels = new LinkedHashSet<>(List.of(
            "sora-2-image-to-video",
            "sora-2-text-to-video",
            "sora-2-pro-image-to-video",
            "sora-2-pro-text-to-video",
            "sora-2-image-to-video-stable",
            "sora-2-text-to-video-stable"));

    public static KieSettings defaults() {
        return new KieSettings();
    }

    /**
     * Settings from environment-style variables, for the local demo launcher:
     * {@code KIE_EMULATOR_KEYS} (comma-separated; default {@value #DEFAULT_API_KEY}), {@code KIE_EMULATOR_CREDITS},
     * {@code KIE_EMULATOR_RENDER_POLLS}, {@code KIE_EMULATOR_RENDER_SECONDS}, {@code KIE_EMULATOR_PUBLIC_URL},
     * {@code KIE_EMULATOR_HTTP_STATUS} ({@code 200} or {@code mirror}), {@code KIE_WEBHOOK_HMAC_KEY},
     * {@code KIE_EMULATOR_FAULT_RATE} (0..1, default 0) and {@code KIE_EMULATOR_FAULT_SEED} (the random fault mix).
     */
    public static KieSettings fromEnv(Map<String, String> env) {
        KieSettings s = new KieSettings();
        String keys = env.get("KIE_EMULATOR_KEYS");
        if (keys != null && !keys.isBlank()) {
            s.apiKeys.clear();
            for (String k : keys.split(",")) {
                if (!k.isBlank()) s.apiKeys.add(k.trim());
            }
        }
        if (env.containsKey("KIE_EMULATOR_CREDITS")) s.credits(Long.parseLong(env.get("KIE_EMULATOR_CREDITS")));
        if (env.containsKey("KIE_EMULATOR_RENDER_POLLS"))
            s.renderPolls(Integer.parseInt(env.get("KIE_EMULATOR_RENDER_POLLS")));
        if (env.containsKey("KIE_EMULATOR_RENDER_SECONDS")) {
            s.renderTime(Duration.ofSeconds(Long.parseLong(env.get("KIE_EMULATOR_RENDER_SECONDS"))));
        }
        if (env.containsKey("KIE_EMULATOR_PUBLIC_URL")) s.publicBaseUrl(env.get("KIE_EMULATOR_PUBLIC_URL"));
        if ("mirror".equalsIgnoreCase(env.get("KIE_EMULATOR_HTTP_STATUS"))) s.statusMode(StatusMode.MIRROR_CODE);
        String hmac = env.get("KIE_WEBHOOK_HMAC_KEY");
        if (hmac != null && !hmac.isBlank()) s.webhookHmacKey(hmac);
        if (env.containsKey("KIE_EMULATOR_FAULT_RATE"))
            s.faultRate(Double.parseDouble(env.get("KIE_EMULATOR_FAULT_RATE")));
        if (env.containsKey("KIE_EMULATOR_FAULT_SEED")) s.faultSeed(Long.parseLong(env.get("KIE_EMULATOR_FAULT_SEED")));
        return s;
    }

    /** Replaces the accepted keys. */
    public KieSettings apiKeys(String... keys) {
        apiKeys.clear();
        apiKeys.addAll(List.of(keys));
        return this;
    }

    public KieSettings addApiKey(String key) {
        apiKeys.add(key);
        return this;
    }

    public KieSettings credits(long credits) {
        this.credits = credits;
        return this;
    }

    public KieSettings createsPerWindow(int n) {
        this.createsPerWindow = n;
        return this;
    }

    public KieSettings rateWindow(Duration d) {
        this.rateWindow = d;
        return this;
    }

    public KieSettings rateScope(RateScope scope) {
        this.rateScope = scope;
        return this;
    }
    /** Polls that still see "generating" before the task is done (default 2). */
    public KieSettings renderPolls(int n) {
        this.renderPolls = n;
        return this;
    }
    /** Minimum time (emulator clock) from create to done (default 0); combined with {@link #renderPolls}. */
    public KieSettings renderTime(Duration d) {
        this.renderTime = d;
        return this;
    }
    /** get-1080p-video calls that answer "1080P is processing" before the HD URL (default 1). */
    public KieSettings hdPolls(int n) {
        this.hdPolls = n;
        return this;
    }

    public KieSettings uploadRetention(Duration d) {
        this.uploadRetention = d;
        return this;
    }

    public KieSettings recordRetention(Duration d) {
        this.recordRetention = d;
        return this;
    }
    /** Signs callbacks as in docs/outside-services.md#kie-callbacks when set. */
    public KieSettings webhookHmacKey(String key) {
        this.webhookHmacKey = key;
        return this;
    }

    public KieSettings statusMode(StatusMode mode) {
        this.statusMode = mode;
        return this;
    }

    public KieSettings aspectRatioKeys(AspectRatioKeys keys) {
        this.aspectRatioKeys = keys;
        return this;
    }
    /** Veo {@code resultUrls} as a JSON string ("[\"…\"]") instead of an array — a reading some docs show. */
    public KieSettings resultUrlsAsJsonString(boolean b) {
        this.resultUrlsAsJsonString = b;
        return this;
    }
    /** Market recordInfo says {@code message} instead of {@code msg}, as one docs example does. */
    public KieSettings marketUsesMessageKey(boolean b) {
        this.marketUsesMessageKey = b;
        return this;
    }
    /** An unfetchable image shows as envelope code 451 at record-info instead of successFlag 2 / errorCode 400. */
    public KieSettings imageFetchFailureAsEnvelope451(boolean b) {
        this.imageFetchFailureAsEnvelope451 = b;
        return this;
    }
    /** Failed tasks give their credits back (a user's cost log shows failures at 0 credits). */
    public KieSettings refundFailedTasks(boolean b) {
        this.refundFailedTasks = b;
        return this;
    }

    public KieSettings imageFetchTimeout(Duration d) {
        this.imageFetchTimeout = d;
        return this;
    }

    public KieSettings callbackTimeout(Duration d) {
        this.callbackTimeout = d;
        return this;
    }
    /** How often time-based renders are checked (and callbacks fired) without a poll. */
    public KieSettings tickInterval(Duration d) {
        this.tickInterval = d;
        return this;
    }

    /**
     * The share (0..1, default 0) of creates that meet a random fault when no marker or script shapes them: a content
     * rejection, an HTTP 500, an HTTP 429, a render that times out at KIE, or a render past any deadline, evenly.
     */
    public KieSettings faultRate(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rate must be within 0..1: " + rate);
        }
        this.faultRate = rate;
        return this;
    }

    /** The seed of the random fault mix (default 17): the same seed draws the same faults in the same order. */
    public KieSettings faultSeed(long seed) {
        this.faultSeed = seed;
        return this;
    }

    /** How long a render "past the deadline" of the fault mix takes (default 1 hour). */
    public KieSettings faultRenderTime(Duration d) {
        this.faultRenderTime = d;
        return this;
    }

    public KieSettings maxImageBytes(long n) {
        this.maxImageBytes = n;
        return this;
    }

    public KieSettings maxUploadBytes(long n) {
        this.maxUploadBytes = n;
        return this;
    }
    /** Base URL put into downloadUrl/resultUrls when clients reach the emulator under another name. */
    public KieSettings publicBaseUrl(String url) {
        this.publicBaseUrl = url;
        return this;
    }

    public KieSettings clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public KieSettings modelCost(String model, int credits) {
        modelCosts.put(model, credits);
        return this;
    }

    public KieSettings veoModels(String... models) {
        veoModels.clear();
        veoModels.addAll(List.of(models));
        return this;
    }

    public KieSettings marketModels(String... models) {
        marketModels.clear();
        marketModels.addAll(List.of(models));
        return this;
    }

    public List<String> apiKeys() {
        return new ArrayList<>(apiKeys);
    }

    public long credits() {
        return credits;
    }

    public int createsPerWindow() {
        return createsPerWindow;
    }

    public Duration rateWindow() {
        return rateWindow;
    }

    public RateScope rateScope() {
        return rateScope;
    }

    public int renderPolls() {
        return renderPolls;
    }

    public Duration renderTime() {
        return renderTime;
    }

    public int hdPolls() {
        return hdPolls;
    }

    public Duration uploadRetention() {
        return uploadRetention;
    }

    public Duration recordRetention() {
        return recordRetention;
    }

    public String webhookHmacKey() {
        return webhookHmacKey;
    }

    public StatusMode statusMode() {
        return statusMode;
    }

    public AspectRatioKeys aspectRatioKeys() {
        return aspectRatioKeys;
    }

    public boolean resultUrlsAsJsonString() {
        return resultUrlsAsJsonString;
    }

    public boolean marketUsesMessageKey() {
        return marketUsesMessageKey;
    }

    public boolean imageFetchFailureAsEnvelope451() {
        return imageFetchFailureAsEnvelope451;
    }

    public boolean refundFailedTasks() {
        return refundFailedTasks;
    }

    public Duration imageFetchTimeout() {
        return imageFetchTimeout;
    }

    public Duration callbackTimeout() {
        return callbackTimeout;
    }

    public Duration tickInterval() {
        return tickInterval;
    }

    public double faultRate() {
        return faultRate;
    }

    public long faultSeed() {
        return faultSeed;
    }

    public Duration faultRenderTime() {
        return faultRenderTime;
    }

    public long maxImageBytes() {
        return maxImageBytes;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    public Clock clock() {
        return clock;
    }

    public Set<String> veoModels() {
        return veoModels;
    }

    public Set<String> marketModels() {
        return marketModels;
    }

    public int costOf(String model) {
        return modelCosts.getOrDefault(model, 30);
    }
}
