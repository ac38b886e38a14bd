package com.neurocards.contracts.event;

import java.time.Instant;

/** Time to ask KIE about a render again (from a delay tier, or right away after a KIE callback). */
public record PollDue(JobRef job, String kieTaskId, Instant deadline, int pollCount) implements Event {

    @Override
    public String correlationId() {
        return job.requestId();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }
}
