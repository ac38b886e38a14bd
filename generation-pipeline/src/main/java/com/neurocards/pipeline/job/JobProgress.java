package com.neurocards.pipeline.job;

import java.time.Instant;

/**
 * What the progress message says about one job of a request: its place (1..N), its state, its model, when its
 * current render was submitted (null before), and whether billing's refund of it has arrived.
 */
public record JobProgress(int index, JobStatus status, String model, Instant submittedAt, boolean refunded) {

    public JobProgress(int index, JobStatus status, String model, Instant submittedAt) {
        this(index, status, model, submittedAt, false);
    }
}
