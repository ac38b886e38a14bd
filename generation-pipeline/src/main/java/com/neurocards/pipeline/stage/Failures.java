package com.neurocards.pipeline.stage;

import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.telegram.TelegramFailure;
import java.io.IOException;

/** Turns a classified provider answer into the failure the messaging engine acts on. */
final class Failures {

    private Failures() {}

    /** Retried through the delay tiers when its class is retryable (TEMPORARY, RATE_LIMIT); dead-lettered otherwise. */
    static StageException of(Classification c) {
        return new StageException(c.errorClass(), c.providerCode(), c.reason(), c.retryAfter(), null);
    }

    /** Telegram refused (by its code: 403 USER, 5xx TEMPORARY, ...) or did not answer (TEMPORARY). */
    static StageException telegram(TelegramFailure failure) {
        if (!failure.answered()) {
            return of(ErrorClassifier.network("Telegram", new IOException(failure.description())));
        }
        Integer retryAfter =
                failure.retryAfter() == null ? null : (int) failure.retryAfter().toSeconds();
        return of(ErrorClassifier.telegram(failure.errorCode(), failure.description(), retryAfter));
    }
}
