package com.neurocards.pipeline.job;

import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PromptSource;
import java.time.Duration;
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
        String videoUrl,
        Instant createdAt) {

    public String jobId() {
        return ref.jobId();
    }

    /**
     * Until when the job may wait for something outside it (a KIE top-up): its deadline when it has one, else its
     * creation plus {@code fundingWait}. The one place to repoint when jobs get a deadline of their own.
     */
    public Instant waitLimit(Duration fundingWait) {
        if (deadline != null) {
            return deadline;
        }
        return (createdAt == null ? Instant.now() : createdAt).plus(fundingWait);
    }
}
