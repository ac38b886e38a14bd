package com.neurocards.contracts.event;

import java.time.Instant;

/** KIE accepted the job as a render task. Submit → poll. */
public record VideoSubmitted(JobRef job, String kieTaskId, String model, Instant submittedAt, Instant deadline)
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
