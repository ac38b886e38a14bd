package com.neurocards.pipeline.job;

import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PromptSource;
import java.time.Instant;

/** A job as the pipeline keeps it (table {@code pipeline.job}). */
public record Job(
        JobRef ref,
        JobStatus status,
        String prompt,
        PromptSource promptSource,
        String model,
        String aspectRatio,
        String kieTaskId,
        String kieKeyId,
        int renderAttempts,
        int pollCount,
        Instant deadline,
        String videoUrl) {

    public String jobId() {
        return ref.jobId();
    }
}
