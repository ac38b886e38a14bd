package com.neurocards.pipeline.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.event.JobRef;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs a working stage dead-lettered while they had not ended ({@code pipeline.stranded_job}): nothing works on them
 * any more, so the next sweep fails and refunds them (docs/architecture.md#every-funded-job-ends).
 */
@ApplicationScoped
public class StrandedJobs {

    /**
     * A stranded job.
     *
     * @param ref    the job as the dead-lettered message described it; {@code null} when it was unreadable
     * @param status where the job's row is now; {@code null} when it has none
     */
    public record Stranded(String jobId, String queue, String errorClass, String cause, JobRef ref, JobStatus status) {}

    private final Pool pool;

    public StrandedJobs(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records that a message of this job reached the dead-letter queue of {@code queue}, unless the job has ended (or
     * is recorded already). Returns whether it was recorded now: only then is the job newly stranded.
     */
    public Uni<Boolean> record(String jobId, JobRef ref, String queue, String errorClass, String cause) {
        return pool.preparedQuery("INSERT INTO pipeline.stranded_job (job_id, queue, error_class, cause, job_ref) "
                        + "SELECT $1::text, $2::text, $3::text, $4::text, $5::jsonb WHERE NOT EXISTS "
                        + "(SELECT 1 FROM pipeline.job WHERE job_id = $1 AND status IN (" + JobStatus.TERMINAL_SQL
                        + ")) ON CONFLICT (job_id) DO NOTHING")
                .execute(Tuple.tuple()
                        .addString(jobId)
                        .addString(queue)
                        .addString(errorClass)
                        .addString(cause)
                        .addValue(ref == null ? null : new JsonObject(json(ref))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The oldest stranded jobs, with where their rows are now. */
    public Uni<List<Stranded>> oldest(int limit) {
        return pool.preparedQuery("SELECT s.job_id, s.queue, s.error_class, s.cause, s.job_ref::text AS ref, j.status "
                        + "FROM pipeline.stranded_job s LEFT JOIN pipeline.job j ON j.job_id = s.job_id "
                        + "ORDER BY s.dead_lettered_at LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Stranded> out = new ArrayList<>();
                    for (Row row : rows) {
                        String status = row.getString("status");
                        out.add(new Stranded(
                                row.getString("job_id"),
                                row.getString("queue"),
                                row.getString("error_class"),
                                row.getString("cause"),
                                ref(row.getString("ref")),
                                status == null ? null : JobStatus.valueOf(status)));
                    }
                    return out;
                });
    }

    /** Forgets a stranded job once it has ended (a later dead letter, after a replay, records it again). */
    public Uni<Void> forget(String jobId) {
        return pool.preparedQuery("DELETE FROM pipeline.stranded_job WHERE job_id = $1")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }

    private static String json(JobRef ref) {
        try {
            return EventCodec.mapper().writeValueAsString(ref);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a job reference", e);
        }
    }

    private static JobRef ref(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(json, JobRef.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
