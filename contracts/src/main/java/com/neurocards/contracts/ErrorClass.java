package com.neurocards.contracts;

/** Why something failed, in the words the whole system uses (docs/architecture.md#error-classes). */
public enum ErrorClass {
    /** Content policy, a bad photo, bad input: the user's to fix; no retry. */
    USER(false),
    /** Provider trouble that usually passes (5xx, maintenance, network). */
    TEMPORARY(true),
    /** A provider said "slow down" (429). */
    RATE_LIMIT(true),
    /** Our own provider account is out of credits or capped (KIE 402/433). */
    BILLING(false),
    /** Our credentials were refused (401). */
    AUTH(false),
    /** The job ran past its deadline. */
    TIMEOUT(false),
    /** Nothing we expected; a bug until proven otherwise. */
    UNKNOWN(false);

    private final boolean retryable;

    ErrorClass(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether trying the same thing again later can help. */
    public boolean retryable() {
        return retryable;
    }
}
