package com.neurocards.emulators.kie;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A seeded random share of creates that meet trouble, for the chaos run ({@link KieSettings#faultRate(double)}): each
 * create that no prompt marker and no script already shapes is, with probability {@code rate}, given one of the
 * kinds below, chosen evenly. Each draw is independent, so a client's retry or re-render usually clears the fault,
 * as KIE's own transient trouble does; a content rejection and a render past the client's deadline do not clear by
 * themselves. Every injected fault is counted by kind ({@link KieEmulator#injectedFaults()}).
 */
final class FaultMix {

    /** The kinds of trouble, as they are named in {@link KieEmulator#injectedFaults()}. */
    enum Kind {
        /** Asynchronous moderation failure (successFlag 2, errorCode 400 "flagged"). */
        CONTENT_REJECTION("content_rejection"),
        /** A real HTTP 500 on the create, no task. */
        HTTP_500("http_500"),
        /** A real HTTP 429 on the create, no task. */
        HTTP_429("http_429"),
        /** The render times out at KIE (successFlag 3, errorCode 500 "timeout"). */
        RENDER_TIMEOUT("render_timeout"),
        /** The render takes {@link KieSettings#faultRenderTime()}: longer than any client's deadline. */
        PAST_DEADLINE("past_deadline");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final double rate;
    private final Duration pastDeadline;
    private final long seed;
    private Random random;
    private final Map<Kind, Long> counts = new LinkedHashMap<>();

    FaultMix(double rate, long seed, Duration pastDeadline) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rate must be within 0..1: " + rate);
        }
        this.rate = rate;
        this.seed = seed;
        this.pastDeadline = pastDeadline;
        reset();
    }

    /** The fault this create meets, counted; null for most creates (and for all when the rate is 0). */
    synchronized KieOutcome draw() {
        if (rate <= 0 || random.nextDouble() >= rate) {
            return null;
        }
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        counts.merge(kind, 1L, Long::sum);
        return switch (kind) {
            case CONTENT_REJECTION -> KieOutcome.contentRejected();
            case HTTP_500 -> KieOutcome.httpError(500);
            case HTTP_429 -> KieOutcome.httpError(429);
            case RENDER_TIMEOUT -> KieOutcome.failure("timeout");
            case PAST_DEADLINE -> KieOutcome.normal().withRenderTime(pastDeadline);
        };
    }

    /** Faults injected so far, by kind label, every kind listed (0 when none). */
    synchronized Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            out.put(kind.label, counts.getOrDefault(kind, 0L));
        }
        return out;
    }

    /** Back to the start: the same seed, so the same sequence of draws, and nothing counted. */
    synchronized void reset() {
        random = new Random(seed);
        counts.clear();
    }
}
