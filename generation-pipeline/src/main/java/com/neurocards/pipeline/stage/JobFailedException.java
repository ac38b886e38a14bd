package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import java.time.Duration;

/**
 * A stage failure that is retried (as {@code retryAs}) but, once retries run out, fails the job as another class:
 * e.g. no KIE key usable because KIE refused them for our credits — jobs wait and retry, and if it lasts they are
 * refunded as BILLING rather than as a rate limit.
 */
public class JobFailedException extends StageException {

    private final ErrorClass failAs;

    public JobFailedException(
            ErrorClass retryAs, ErrorClass failAs, Integer providerCode, String reason, Duration retryAfter) {
        super(retryAs, providerCode, reason, retryAfter, null);
        this.failAs = failAs;
    }

    public ErrorClass failAs() {
        return failAs;
    }
}
