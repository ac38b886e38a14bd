package com.neurocards.pipeline.job;

/** Where a job is. DELIVERED, UNDELIVERABLE and FAILED are final. */
public enum JobStatus {
    PROMPTED,
    SUBMITTED,
    READY,
    DELIVERED,
    UNDELIVERABLE,
    FAILED;

    public boolean terminal() {
        return this == DELIVERED || this == UNDELIVERABLE || this == FAILED;
    }
}
