package com.neurocards.contracts.event;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;

/** A stage hit a temporary problem and will try again. Any stage → notify. */
public record GenerationRetrying(JobRef job, Stage stage, int attempt, ErrorClass errorClass, String reason)
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
