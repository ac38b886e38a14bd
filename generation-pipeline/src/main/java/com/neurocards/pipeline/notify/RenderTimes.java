package com.neurocards.pipeline.notify;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a render usually takes, per KIE model ({@code neurocards.pipeline.progress.usual-render-time.<model>}, one
 * {@code MIN-MAX} setting per model such as {@code 1m-3m}): shown next to a rendering video's elapsed time. A model is
 * found by its exact name, else by the longest configured name it starts with followed by {@code -} (so
 * {@code sora-2} also covers {@code sora-2-image-to-video}), else the default.
 */
public final class RenderTimes {

    /** A usual render time, from {@code min} to {@code max}. */
    public record Range(Duration min, Duration max) {
        public Range {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("a render time range runs from its minimum to its maximum");
            }
        }
    }

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(s|m|min|h)?");

    private final Map<String, Range> byModel = new TreeMap<>();
    private final Range fallback;

    /**
     * @param byModel  model → {@code MIN-MAX} (each {@code 90s}, {@code 2m}, {@code 1h}; a bare number is minutes)
     * @param fallback the range of a model not named
     * @throws IllegalArgumentException naming the setting that cannot be read
     */
    public RenderTimes(Map<String, String> byModel, String fallback) {
        byModel.forEach((model, value) -> this.byModel.put(model, parse(model, value)));
        this.fallback = parse("default", fallback);
    }

    public Range of(String model) {
        if (model == null) {
            return fallback;
        }
        Range exact = byModel.get(model);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String known : byModel.keySet()) {
            if (model.startsWith(known + "-") && (best == null || known.length() > best.length())) {
                best = known;
            }
        }
        return best == null ? fallback : byModel.get(best);
    }

    static Range parse(String model, String value) {
        String[] parts = value == null ? new String[0] : value.trim().split("\\s*-\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException(
                    "usual render time of " + model + " is '" + value + "'; expected MIN-MAX such as 1m-3m");
        }
        return new Range(duration(model, parts[0]), duration(model, parts[1]));
    }

    private static Duration duration(String model, String text) {
        Matcher m = PART.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "usual render time of " + model + ": '" + text + "' is not a duration such as 90s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "m" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
