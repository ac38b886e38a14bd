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
        Instant createdAt,
        Instant expiresAt) {

    public String jobId() {
        return ref.jobId();
    }

    /**
     * Until when the job may wait for something outside it (a KIE top-up): its overall deadline
     * ({@code neurocards.pipeline.job-deadline} from funding); a job written before jobs had one: its creation plus
     * {@code fundingWait}.
     */
    public Instant waitLimit(Duration fundingWait) {
        if (expiresAt != null) {
            return expiresAt;
        }
        return (createdAt == null ? Instant.now() : createdAt).plus(fundingWait);
    }
}
