package com.neurocards.contracts.event;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;

/**
 * A job ended without a video. Any stage → billing (refund), notify.
 *
 * @param providerCode the provider's own code when there was one (KIE 400, Telegram 403, ...), else {@code null}
 * @param reason       a short operator-facing text; never contains secrets
 */
public record GenerationFailed(
        JobRef job, Stage stage, ErrorClass errorClass, Integer providerCode, String reason, int attempts)
        implements Event {

    @Override
    public String correlationId() {
        return job.requestId();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }
}
