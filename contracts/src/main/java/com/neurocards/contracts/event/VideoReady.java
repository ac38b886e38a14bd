package com.neurocards.contracts.event;

/** KIE finished the render. Poll → deliver. */
public record VideoReady(JobRef job, String kieTaskId, String videoUrl, String resolution) implements Event {

    @Override
    public String correlationId() {
        return job.requestId();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }
}
