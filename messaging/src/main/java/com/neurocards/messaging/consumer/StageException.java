package com.neurocards.messaging.consumer;

import com.neurocards.contracts.ErrorClass;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure a stage understands: it says which {@link ErrorClass} it is, so the consumer knows whether to retry
 * (TEMPORARY, RATE_LIMIT — through the delay tiers, honouring {@code retryAfter}) or to give up at once.
 */
public class StageException extends RuntimeException {

    private final ErrorClass errorClass;
    private final Integer providerCode;
    private final Duration retryAfter;

    public StageException(ErrorClass errorClass, Integer providerCode, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
        this.providerCode = providerCode;
        this.retryAfter = retryAfter;
    }

    public StageException(ErrorClass errorClass, Integer providerCode, String message) {
        this(errorClass, providerCode, message, null, null);
    }

    public static StageException temporary(String message, Throwable cause) {
        return new StageException(ErrorClass.TEMPORARY, null, message, null, cause);
    }

    public static StageException rateLimited(String message, Duration retryAfter) {
        return new StageException(ErrorClass.RATE_LIMIT, 429, message, retryAfter, null);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public Integer providerCode() {
        return providerCode;
    }

    /** The wait the provider asked for, if it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return errorClass.retryable();
    }
}
