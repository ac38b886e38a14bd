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
    private final boolean pacing;

    public StageException(
            ErrorClass errorClass, Integer providerCode, String message, Duration retryAfter, Throwable cause) {
        this(errorClass, providerCode, message, retryAfter, cause, false);
    }

    /** For a failure type that is always pacing (see {@link #paced}): the message waits {@code wait}, attempt kept. */
    protected StageException(String message, Duration wait) {
        this(ErrorClass.RATE_LIMIT, null, message, wait, null, true);
    }

    private StageException(
            ErrorClass errorClass,
            Integer providerCode,
            String message,
            Duration retryAfter,
            Throwable cause,
            boolean pacing) {
        super(message, cause);
        this.errorClass = errorClass;
        this.providerCode = providerCode;
        this.retryAfter = retryAfter;
        this.pacing = pacing;
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

    /**
     * Nothing is wrong with the message: what it needs is busy for {@code wait} (a Telegram chat at its one message a
     * second, or Telegram's own 429 with {@code retry_after}). The consumer sends it round a delay tier of at least
     * {@code wait} <em>without using an attempt</em>, so pacing can never make a job fail; the rounds are bounded
     * ({@code neurocards.messaging.consumers.max-pacing-rounds}) so a message cannot circle for ever.
     */
    public static StageException paced(String message, Duration wait, Integer providerCode) {
        return new StageException(ErrorClass.RATE_LIMIT, providerCode, message, wait, null, true);
    }

    /** Whether this is pacing (see {@link #paced}), not a failure of the message. */
    public boolean pacing() {
        return pacing;
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
