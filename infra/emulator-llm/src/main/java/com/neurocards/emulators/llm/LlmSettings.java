package com.neurocards.emulators.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How an {@link LlmEmulator} behaves. Fluent setters; defaults suit tests. */
public final class LlmSettings {

    public static final String DEFAULT_API_KEY = "llm-emulator-key-0001";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    /** A known model without vision: an image part sent to it is refused with 400 (as OpenAI does). */
    public static final String TEXT_ONLY_MODEL = "gpt-3.5-turbo";

    private final Set<String> apiKeys = new LinkedHashSet<>(List.of(DEFAULT_API_KEY));
    private final Set<String> models = new LinkedHashSet<>(
            List.of(DEFAULT_MODEL, "gpt-4o", "gpt-4.1-mini", "gemini-2.5-flash", "gemini-2.5-pro", TEXT_ONLY_MODEL));
    private final Set<String> textOnlyModels = new LinkedHashSet<>(List.of(TEXT_ONLY_MODEL));
    private long maxImageBytes = 20L * 1024 * 1024;
    private boolean anyModel;
    private Duration timeoutHold = Duration.ofSeconds(90);
    private int retryAfterSeconds = 1;

    public static LlmSettings defaults() {
        return new LlmSettings();
    }

    /**
     * From environment-style variables, for the demo launcher: {@code LLM_EMULATOR_KEYS} (comma-separated),
     * {@code LLM_EMULATOR_ANY_MODEL} ({@code true} accepts every model name), {@code LLM_EMULATOR_TEXT_ONLY_MODELS}
     * (comma-separated models that refuse images), {@code LLM_EMULATOR_MAX_IMAGE_BYTES}.
     */
    public static LlmSettings fromEnv(Map<String, String> env) {
        LlmSettings s = new LlmSettings();
        String keys = env.get("LLM_EMULATOR_KEYS");
        if (keys != null && !keys.isBlank()) {
            s.apiKeys(keys.split("\\s*,\\s*"));
        }
        if ("true".equalsIgnoreCase(env.get("LLM_EMULATOR_ANY_MODEL"))) {
            s.anyModel(true);
        }
        String textOnly = env.get("LLM_EMULATOR_TEXT_ONLY_MODELS");
        if (textOnly != null) {
            s.textOnlyModels(
                    textOnly.isBlank() ? new String[0] : textOnly.trim().split("\\s*,\\s*"));
        }
        String maxImage = env.get("LLM_EMULATOR_MAX_IMAGE_BYTES");
        if (maxImage != null && !maxImage.isBlank()) {
            s.maxImageBytes(Long.parseLong(maxImage.trim()));
        }
        return s;
    }

    public LlmSettings apiKeys(String... keys) {
        apiKeys.clear();
        apiKeys.addAll(List.of(keys));
        return this;
    }

    public LlmSettings models(String... names) {
        models.clear();
        models.addAll(List.of(names));
        return this;
    }
    /** Accept any model name instead of answering 404 model_not_found for unknown ones. */
    public LlmSettings anyModel(boolean b) {
        this.anyModel = b;
        return this;
    }
    /** Models that refuse image parts (400 invalid_request_error); every other model sees images. */
    public LlmSettings textOnlyModels(String... names) {
        textOnlyModels.clear();
        textOnlyModels.addAll(List.of(names));
        return this;
    }

    /** The largest image (decoded bytes) a request may carry; OpenAI's limit is 20 MB per image. */
    public LlmSettings maxImageBytes(long bytes) {
        this.maxImageBytes = bytes;
        return this;
    }

    /** How long a scripted "timeout" holds the answer — longer than any sane client timeout. */
    public LlmSettings timeoutHold(Duration d) {
        this.timeoutHold = d;
        return this;
    }

    public LlmSettings retryAfterSeconds(int s) {
        this.retryAfterSeconds = s;
        return this;
    }

    public List<String> apiKeys() {
        return new ArrayList<>(apiKeys);
    }

    public Set<String> models() {
        return models;
    }

    public boolean seesImages(String model) {
        return !textOnlyModels.contains(model);
    }

    public long maxImageBytes() {
        return maxImageBytes;
    }

    public boolean anyModel() {
        return anyModel;
    }

    public Duration timeoutHold() {
        return timeoutHold;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
