package com.neurocards.pipeline.job;

import java.time.Instant;

/**
 * What the progress message says about one job of a request: its place (1..N), its state, its model, and when its
 * current render was submitted (null before).
 */
public record JobProgress(int index, JobStatus status, String model, Instant submittedAt) {}
