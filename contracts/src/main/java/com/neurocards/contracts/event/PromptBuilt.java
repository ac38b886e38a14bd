package com.neurocards.contracts.event;

/** One job's video prompt is ready. Prompt → submit. */
public record PromptBuilt(JobRef job, String prompt, PromptSource source, String model, String aspectRatio)
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
