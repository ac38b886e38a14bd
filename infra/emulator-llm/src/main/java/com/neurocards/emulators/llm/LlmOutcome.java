package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the emulator does with one chat-completions call when a test scripts it (control API / Java) or the user
 * message carries a marker. Marker syntax: {@code [llm:fail=<kind>]} and/or {@code [llm:slow=<duration>]}, kinds:
 * <pre>
 *   500 | 502 | 503   HTTP 5xx with an OpenAI error body
 *   429               HTTP 429 with Retry-After
 *   timeout           answer held for LlmSettings.timeoutHold (longer than a client timeout), then a normal answer
 *   invalid-json      finish_reason "stop" but content is not parseable JSON
 *   schema            valid JSON that violates the requested schema (wrong item count, else a missing required field)
 *   refusal           message.refusal set, content null
 *   length            finish_reason "length", content cut off
 *   duplicates        valid JSON, but every string of an array is the same (N prompts that are one prompt)
 * </pre>
 */
public final class LlmOutcome {

    public enum Kind {
        NORMAL,
        HTTP_ERROR,
        RATE_LIMIT,
        TIMEOUT,
        INVALID_JSON,
        SCHEMA_VIOLATION,
        REFUSAL,
        TRUNCATED,
        DUPLICATES
    }

    private static final Pattern MARKER = Pattern.compile("\\[llm:([^\\]]*)]", Pattern.CASE_INSENSITIVE);

    private final Kind kind;
    private final int status;
    private final Duration delay;

    private LlmOutcome(Kind kind, int status, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    public static LlmOutcome normal() {
        return new LlmOutcome(Kind.NORMAL, 200, null);
    }

    public static LlmOutcome serverError(int status) {
        return new LlmOutcome(Kind.HTTP_ERROR, status, null);
    }

    public static LlmOutcome rateLimited() {
        return new LlmOutcome(Kind.RATE_LIMIT, 429, null);
    }

    public static LlmOutcome timeout() {
        return new LlmOutcome(Kind.TIMEOUT, 200, null);
    }

    public static LlmOutcome invalidJson() {
        return new LlmOutcome(Kind.INVALID_JSON, 200, null);
    }

    public static LlmOutcome schemaViolation() {
        return new LlmOutcome(Kind.SCHEMA_VIOLATION, 200, null);
    }

    public static LlmOutcome refusal() {
        return new LlmOutcome(Kind.REFUSAL, 200, null);
    }

    public static LlmOutcome truncated() {
        return new LlmOutcome(Kind.TRUNCATED, 200, null);
    }

    public static LlmOutcome duplicates() {
        return new LlmOutcome(Kind.DUPLICATES, 200, null);
    }

    public static LlmOutcome slow(Duration delay) {
        return new LlmOutcome(Kind.NORMAL, 200, delay);
    }

    public LlmOutcome withDelay(Duration d) {
        return new LlmOutcome(kind, status, d);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public Duration delay() {
        return delay;
    }

    /** A failure by its marker name: 500, 502, 503, 429, timeout, invalid-json, schema, refusal, length. */
    public static LlmOutcome named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.matches("5\\d\\d")) {
            return serverError(Integer.parseInt(n));
        }
        return switch (n) {
            case "429", "rate-limit" -> rateLimited();
            case "timeout" -> timeout();
            case "invalid-json", "json" -> invalidJson();
            case "schema" -> schemaViolation();
            case "refusal", "refuse" -> refusal();
            case "length", "truncated" -> truncated();
            case "duplicates", "same" -> duplicates();
            case "ok", "normal" -> normal();
            default -> throw new IllegalArgumentException("unknown llm failure '" + name
                    + "' (5xx, 429, timeout, invalid-json, schema, refusal, length, duplicates)");
        };
    }

    /** The outcome the markers in {@code text} ask for, or {@code null}. */
    public static LlmOutcome fromMarkers(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = MARKER.matcher(text);
        LlmOutcome outcome = null;
        while (m.find()) {
            for (String directive : m.group(1).split("[,;]")) {
                String[] kv = directive.trim().split("=", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv.length > 1 ? kv[1].trim() : "";
                LlmOutcome base = outcome == null ? normal() : outcome;
                outcome = switch (key) {
                    case "fail" -> named(value).withDelay(base.delay);
                    case "slow" -> base.withDelay(duration(value));
                    case "" -> base;
                    default -> throw new IllegalArgumentException("unknown llm marker directive '" + directive + "'");
                };
            }
        }
        return outcome;
    }

    /** Removes markers, so they do not end up in generated text. */
    static String stripMarkers(String text) {
        return text == null
                ? ""
                : MARKER.matcher(text).replaceAll("").replaceAll("\\s{2,}", " ").trim();
    }

    /** Control-API form: {@code {"type":"500|429|timeout|invalid-json|schema|refusal|length|duplicates|normal","delayMillis":0}}. */
    public static LlmOutcome fromJson(JsonObject json) {
        LlmOutcome o = named(String.valueOf(json.getValue("type", "normal")));
        return json.containsKey("delayMillis") ? o.withDelay(Duration.ofMillis(json.getLong("delayMillis"))) : o;
    }

    public JsonObject toJson() {
        return new JsonObject().put("kind", kind.name()).put("status", status).put("delayMillis", delay.toMillis());
    }

    static Duration duration(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s"))
            return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        return Duration.ofMillis(Long.parseLong(s));
    }

    @Override
    public String toString() {
        return toJson().encode();
    }
}
