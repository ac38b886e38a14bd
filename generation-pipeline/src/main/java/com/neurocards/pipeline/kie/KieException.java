package com.neurocards.pipeline.kie;

import com.neurocards.pipeline.error.Classification;

/**
 * KIE did not do what was asked. {@code ambiguous}: the request may have been carried out although no readable answer
 * came back (a timeout after sending, a cut-off body) — a create must then not simply be sent again.
 * {@code unanswered}: no answer came at all (the connection failed, reset or timed out), as opposed to an answer that
 * said no or could not be read.
 */
public class KieException extends RuntimeException {

    private final transient Classification classification;
    private final boolean ambiguous;
    private final boolean unanswered;

    public KieException(Classification classification, boolean ambiguous, Throwable cause, boolean unanswered) {
        super(classification.reason(), cause, false, false);
        this.classification = classification;
        this.ambiguous = ambiguous;
        this.unanswered = unanswered;
    }

    public KieException(Classification classification, boolean ambiguous, Throwable cause) {
        this(classification, ambiguous, cause, false);
    }

    public KieException(Classification classification) {
        this(classification, false, null);
    }

    public Classification classification() {
        return classification;
    }

    public boolean ambiguous() {
        return ambiguous;
    }

    public boolean unanswered() {
        return unanswered;
    }
}
