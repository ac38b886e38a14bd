package com.neurocards.pipeline.error;

import com.neurocards.contracts.ErrorClass;
import java.time.Duration;

/**
 * What a provider's answer means for a job: the {@link ErrorClass}, the provider's own code, a short reason fit for
 * an event or a log (never a secret), and the wait the provider asked for, if any.
 */
public record Classification(ErrorClass errorClass, Integer providerCode, String reason, Duration retryAfter) {

    public Classification(ErrorClass errorClass, Integer providerCode, String reason) {
        this(errorClass, providerCode, reason, null);
    }

    public boolean retryable() {
        return errorClass.retryable();
    }
}
