package com.neurocards.pipeline.stage;

import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;

/** Turns a classified provider answer into the failure the messaging engine acts on. */
final class Failures {

    private Failures() {
    }

    /** Retried through the delay tiers when its class is retryable (TEMPORARY, RATE_LIMIT); dead-lettered otherwise. */
    static StageException of(Classification c) {
        return new StageException(c.errorClass(), c.providerCode(), c.reason(), c.retryAfter(), null);
    }
}
