package com.neurocards.pipeline.job;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a job is. DELIVERED, UNDELIVERABLE and FAILED are final; every other state is a job still on its way. */
public enum JobStatus {
    PROMPTED,
    SUBMITTED,
    READY,
    DELIVERED,
    UNDELIVERABLE,
    FAILED;

    /**
     * The final states as an SQL list ({@code 'DELIVERED', 'UNDELIVERABLE', 'FAILED'}), for {@code status IN (…)} and
     * {@code status NOT IN (…)}: the one place the SQL learns which states are final.
     */
    public static final String TERMINAL_SQL = Arrays.stream(values())
            .filter(JobStatus::terminal)
            .map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", "));

    public boolean terminal() {
        return this == DELIVERED || this == UNDELIVERABLE || this == FAILED;
    }
}
