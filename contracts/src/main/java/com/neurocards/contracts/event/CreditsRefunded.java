package com.neurocards.contracts.event;

import com.neurocards.contracts.ErrorClass;

/** Billing returned a failed job's credits. Billing → notify. */
public record CreditsRefunded(JobRef job, long amount, long balanceAfter, ErrorClass errorClass) implements Event {

    @Override
    public String correlationId() {
        return job.requestId();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }
}
