package com.neurocards.pipeline.kie;

import com.neurocards.pipeline.error.Classification;

/**
 * KIE did not do what was asked. {@code ambiguous}: the request may have been carried out although no readable answer
 * came back (a timeout after sending, a cut-off body) — a create must then not simply be sent again.
 */
public class KieException extends RuntimeException {

    private final transient Classification classification;
    private final boolean ambiguous;

    public KieException(Classification classification, boolean ambiguous, Throwable cause) {
        super(classification.reason(), cause, false, false);
        this.classification = classification;
        this.ambiguous = ambiguous;
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
}
