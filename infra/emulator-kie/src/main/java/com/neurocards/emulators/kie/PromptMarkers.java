package com.neurocards.emulators.kie;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads outcome markers from a prompt, so an end-to-end test can steer one task through the whole pipeline without
 * touching the emulator. Syntax: one or more {@code [kie:directive,directive…]} anywhere in the prompt; directives:
 * <pre>
 *   polls=3          "generating" for 3 polls, done on the 4th
 *   render=20s       done 20 s (emulator clock) after create; units ms, s, m
 *   fail=content     async failure; kinds: content unsafe minor people english flow image internal timeout generation
 *   error=500        envelope error on the create itself (HTTP 200, code 500, documented text); no task
 *   http=503         real HTTP status on the create; no task
 *   malformed        create answers truncated JSON (the task is still made)
 *   drop             create gets no answer, the connection is closed (the task is still made)
 *   slow=5s          create answer held 5 s (the task is made at once)
 *   size=60MB        result MP4 padded to this size; units B, KB, MB (1024-based)
 *   first=2          the other directives hold for the first 2 creates with this exact prompt only; later creates
 *                    (the client's retries, a re-render) get a normal task: a temporary fault that clears
 * </pre>
 * Example: {@code "Slow push-in on the mug [kie:polls=1,size=25MB]"}.
 */
public final class PromptMarkers {

    private static final Pattern MARKER = Pattern.compile("\\[kie:([^\\]]*)]", Pattern.CASE_INSENSITIVE);

    private PromptMarkers() {}

    /** The outcome the markers ask for, or {@code null} when the prompt has none. */
    public static KieOutcome parse(String prompt) {
        if (prompt == null) {
            return null;
        }
        Matcher m = MARKER.matcher(prompt);
        KieOutcome outcome = null;
        while (m.find()) {
            for (String directive : m.group(1).split("[,;]")) {
                String d = directive.trim();
                if (d.isEmpty() || d.toLowerCase(Locale.ROOT).startsWith("first=")) {
                    continue;
                }
                outcome = (outcome == null ? KieOutcome.normal() : outcome).mergedWith(apply(d));
            }
        }
        return outcome;
    }

    /** N of a {@code first=N} directive: the markers hold for the first N creates with this prompt; 0 = always. */
    public static int firstCreates(String prompt) {
        if (prompt == null) {
            return 0;
        }
        Matcher m = MARKER.matcher(prompt);
        int first = 0;
        while (m.find()) {
            for (String directive : m.group(1).split("[,;]")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                if (d.startsWith("first=")) {
                    first = Integer.parseInt(d.substring("first=".length()).trim());
                }
            }
        }
        return first;
    }

    private static KieOutcome apply(String directive) {
        int eq = directive.indexOf('=');
        String key = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : directive.substring(eq + 1).trim();
        return switch (key) {
            case "polls" -> KieOutcome.normal().withPolls(Integer.parseInt(value));
            case "render" -> KieOutcome.normal().withRenderTime(duration(value));
            case "fail" -> KieOutcome.failure(value);
            case "error" -> KieOutcome.envelopeError(Integer.parseInt(value));
            case "http" -> KieOutcome.httpError(Integer.parseInt(value));
            case "malformed" -> KieOutcome.malformed();
            case "drop", "dropped" -> KieOutcome.dropped();
            case "slow" -> KieOutcome.slow(duration(value));
            case "size" -> KieOutcome.normal().withResultSize(size(value));
            case "success", "ok" -> KieOutcome.success();
            default -> throw new IllegalArgumentException("unknown kie marker directive '" + directive + "'");
        };
    }

    static Duration duration(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s"))
            return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        if (s.endsWith("m")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
        return Duration.ofMillis(Long.parseLong(s));
    }

    static long size(String v) {
        String s = v.toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.endsWith("MB")) return (long) (Double.parseDouble(s.substring(0, s.length() - 2)) * 1024 * 1024);
        if (s.endsWith("KB")) return (long) (Double.parseDouble(s.substring(0, s.length() - 2)) * 1024);
        if (s.endsWith("B")) return Long.parseLong(s.substring(0, s.length() - 1));
        return Long.parseLong(s);
    }
}
