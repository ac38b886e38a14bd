package com.neurocards.pipeline.job;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.PromptSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Job state in {@code pipeline.job}. Every transition is a conditional UPDATE that says which state it leaves, so a
 * duplicate or late message changes nothing and the caller learns it from the row count.
 */
@ApplicationScoped
public class JobRepository {

    private static final String COLUMNS =
            "job_id, request_id, job_index, total, user_id, chat_id, locale, photo_file_id, "
                    + "photo_unique_id, status, prompt, prompt_source, model, aspect_ratio, kie_task_id, kie_key_id, render_attempts, poll_count, "
                    + "deadline, video_url, created_at";

    private final Pool pool;

    public JobRepository(Pool pool) {
        this.pool = pool;
    }

    /** The columns and values of a job whose prompt was written ({@link #promptedRow}). */
    private static final String PROMPTED_ROW = "(job_id, request_id, job_index, total, user_id, chat_id, locale, "
            + "photo_file_id, photo_unique_id, status, prompt, prompt_source, model, aspect_ratio) "
            + "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'PROMPTED',$10,$11,$12,$13)";

    private static Tuple promptedRow(PromptBuilt built) {
        JobRef j = built.job();
        return Tuple.tuple()
                .addString(j.jobId())
                .addString(j.requestId())
                .addInteger(j.index())
                .addInteger(j.total())
                .addLong(j.userId())
                .addLong(j.chatId())
                .addString(j.locale().code())
                .addString(j.photo() == null ? null : j.photo().fileId())
                .addString(j.photo() == null ? null : j.photo().fileUniqueId())
                .addString(built.prompt())
                .addString(built.source().name())
                .addString(built.model())
                .addString(built.aspectRatio());
    }

    /** Records a job whose prompt was written; a job already known is left alone. Returns whether it was new. */
    public Uni<Boolean> insertPrompted(SqlClient tx, PromptBuilt built) {
        return tx.preparedQuery("INSERT INTO pipeline.job " + PROMPTED_ROW + " ON CONFLICT (job_id) DO NOTHING")
                .execute(promptedRow(built))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<Job>> find(String jobId) {
        return find(pool, jobId, false);
    }

    public Uni<Optional<Job>> findForUpdate(SqlClient tx, String jobId) {
        return find(tx, jobId, true);
    }

    private Uni<Optional<Job>> find(SqlClient client, String jobId, boolean lock) {
        return client.preparedQuery(
                        "SELECT " + COLUMNS + " FROM pipeline.job WHERE job_id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Job>empty()
                        : Optional.of(toJob(rows.iterator().next())));
    }

    public Uni<Optional<Job>> findByTaskId(String kieTaskId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM pipeline.job WHERE kie_task_id = $1")
                .execute(Tuple.of(kieTaskId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Job>empty()
                        : Optional.of(toJob(rows.iterator().next())));
    }

    /** Jobs still rendering although their deadline passed more than {@code grace} ago. */
    public Uni<List<Job>> overdue(Duration grace, int limit) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM pipeline.job WHERE status = 'SUBMITTED' AND deadline < $1 "
                                + "ORDER BY deadline LIMIT $2")
                .execute(Tuple.of(OffsetDateTime.now().minus(grace), limit))
                .map(rows -> {
                    List<Job> out = new ArrayList<>();
                    rows.forEach(row -> out.add(toJob(row)));
                    return out;
                });
    }

    /**
     * The job started waiting for a KIE top-up: true only the first time (the seller is told once), and only while
     * it is still PROMPTED.
     */
    public Uni<Boolean> markFundingWait(SqlClient tx, String jobId) {
        return tx.preparedQuery("UPDATE pipeline.job SET funding_wait_since = now(), updated_at = now() "
                        + "WHERE job_id = $1 AND status = 'PROMPTED' AND funding_wait_since IS NULL")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** PROMPTED → SUBMITTED with its KIE task; only a job without a task gets one. */
    public Uni<Boolean> markSubmitted(SqlClient tx, String jobId, String taskId, String keyId, Instant deadline) {
        return tx.preparedQuery("UPDATE pipeline.job SET status = 'SUBMITTED', kie_task_id = $2, kie_key_id = $3, "
                        + "deadline = $4, poll_count = 0, render_attempts = render_attempts + 1, submitted_at = now(), "
                        + "updated_at = now() WHERE job_id = $1 AND status = 'PROMPTED' AND kie_task_id IS NULL")
                .execute(Tuple.of(jobId, taskId, keyId, utc(deadline)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** What a claim to submit a job found. */
    public enum SubmitClaim {
        /** This caller may send the create now. */
        CLAIMED,
        /** Another submission started recently and has not finished. */
        IN_PROGRESS,
        /** A submission started long ago and never recorded its outcome: KIE may have the task. */
        ABANDONED,
        /** The job has a task or has ended: nothing to submit. */
        DONE
    }

    /**
     * Claims the right to send this job's create to KIE (see V2__submit_claim.sql), for the submission try
     * {@code claimId}: only that try may later {@link #releaseSubmit release} it.
     */
    public Uni<SubmitClaim> claimSubmit(String jobId, String claimId, Duration abandonedAfter) {
        return pool.preparedQuery(
                        "UPDATE pipeline.job SET submit_started_at = now(), submit_claim_id = $2, updated_at = now() "
                                + "WHERE job_id = $1 AND status = 'PROMPTED' AND kie_task_id IS NULL AND submit_started_at IS NULL")
                .execute(Tuple.of(jobId, claimId))
                .chain(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().item(SubmitClaim.CLAIMED)
                        : pool.preparedQuery("SELECT status, kie_task_id, submit_started_at < $2 AS abandoned "
                                        + "FROM pipeline.job WHERE job_id = $1")
                                .execute(Tuple.of(jobId, OffsetDateTime.now().minus(abandonedAfter)))
                                .map(found -> {
                                    if (found.size() == 0) {
                                        return SubmitClaim.DONE;
                                    }
                                    Row row = found.iterator().next();
                                    if (!"PROMPTED".equals(row.getString("status"))
                                            || row.getString("kie_task_id") != null) {
                                        return SubmitClaim.DONE;
                                    }
                                    return Boolean.TRUE.equals(row.getBoolean("abandoned"))
                                            ? SubmitClaim.ABANDONED
                                            : SubmitClaim.IN_PROGRESS;
                                }));
    }

    /**
     * The create of try {@code claimId} certainly made no task (refused, or never sent): the job may be submitted
     * again. A try frees only its own claim: another try's claim, whose create may be at KIE, stays.
     */
    public Uni<Boolean> releaseSubmit(String jobId, String claimId) {
        return pool.preparedQuery(
                        "UPDATE pipeline.job SET submit_started_at = NULL, submit_claim_id = NULL, updated_at = now() "
                                + "WHERE job_id = $1 AND submit_claim_id = $2 AND kie_task_id IS NULL")
                .execute(Tuple.of(jobId, claimId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Counts one look at the render, if nobody else took this look already (one poll chain per job). */
    public Uni<Boolean> advancePoll(SqlClient tx, String jobId, String taskId, int expectedPollCount) {
        return tx.preparedQuery("UPDATE pipeline.job SET poll_count = poll_count + 1, updated_at = now() "
                        + "WHERE job_id = $1 AND kie_task_id = $2 AND status = 'SUBMITTED' AND poll_count = $3")
                .execute(Tuple.of(jobId, taskId, expectedPollCount))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> markReady(SqlClient tx, String jobId, String taskId, String videoUrl, String resolution) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'READY', video_url = $3, resolution = $4, "
                                + "ready_at = now(), updated_at = now() WHERE job_id = $1 AND kie_task_id = $2 AND status = 'SUBMITTED'")
                .execute(Tuple.of(jobId, taskId, videoUrl, resolution))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A render KIE failed for a temporary reason: back to PROMPTED without its task, to be submitted again. */
    public Uni<Boolean> resetForResubmit(SqlClient tx, String jobId, String failedTaskId) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'PROMPTED', kie_task_id = NULL, poll_count = 0, "
                                + "submit_started_at = NULL, "
                                + "deadline = NULL, updated_at = now() WHERE job_id = $1 AND kie_task_id = $2 AND status = 'SUBMITTED'")
                .execute(Tuple.of(jobId, failedTaskId))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> markDelivered(SqlClient tx, String jobId, DeliveryMode mode, Long messageId, String fileId) {
        String status = mode == DeliveryMode.UNDELIVERABLE ? "UNDELIVERABLE" : "DELIVERED";
        return tx.preparedQuery("UPDATE pipeline.job SET status = $2, delivery_mode = $3, telegram_message_id = $4, "
                        + "telegram_file_id = $5, delivered_at = now(), updated_at = now() "
                        + "WHERE job_id = $1 AND status = 'READY'")
                .execute(Tuple.of(jobId, status, mode.name(), messageId, fileId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** How long a job took from being funded (recorded by the prompt stage) to its delivery, once delivered. */
    public Uni<Optional<Duration>> fundedToDelivered(SqlClient tx, String jobId) {
        return tx.preparedQuery("SELECT (EXTRACT(EPOCH FROM (delivered_at - created_at)) * 1000)::BIGINT AS millis "
                        + "FROM pipeline.job WHERE job_id = $1 AND delivered_at IS NOT NULL")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Duration>empty()
                        : Optional.ofNullable(rows.iterator().next().getLong("millis"))
                                .map(Duration::ofMillis));
    }

    /** Any non-final state → FAILED. Returns false when the job had already ended (or is unknown). */
    public Uni<Boolean> markFailed(
            SqlClient tx, String jobId, Stage stage, ErrorClass errorClass, Integer providerCode, String reason) {
        return tx.preparedQuery("UPDATE pipeline.job SET status = 'FAILED', failed_stage = $2, error_class = $3, "
                        + "provider_code = $4, failure_reason = $5, failed_at = now(), updated_at = now() "
                        + "WHERE job_id = $1 AND status NOT IN ('DELIVERED', 'UNDELIVERABLE', 'FAILED')")
                .execute(Tuple.of(jobId, stage.name(), errorClass.name(), providerCode, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Records a job that failed before it was ever written down (the prompt stage gave up). Returns whether it was new.
     */
    public Uni<Boolean> insertFailed(
            SqlClient tx, JobRef j, Stage stage, ErrorClass errorClass, Integer providerCode, String reason) {
        return tx.preparedQuery(
                        "INSERT INTO pipeline.job (job_id, request_id, job_index, total, user_id, chat_id, locale, "
                                + "photo_file_id, photo_unique_id, status, prompt, prompt_source, model, aspect_ratio, failed_stage, "
                                + "error_class, provider_code, failure_reason, failed_at) "
                                + "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'FAILED','','TEMPLATE','','',$10,$11,$12,$13, now()) "
                                + "ON CONFLICT (job_id) DO NOTHING")
                .execute(Tuple.tuple()
                        .addString(j.jobId())
                        .addString(j.requestId())
                        .addInteger(j.index())
                        .addInteger(j.total())
                        .addLong(j.userId())
                        .addLong(j.chatId())
                        .addString(j.locale().code())
                        .addString(j.photo() == null ? null : j.photo().fileId())
                        .addString(j.photo() == null ? null : j.photo().fileUniqueId())
                        .addString(stage.name())
                        .addString(errorClass.name())
                        .addInteger(providerCode)
                        .addString(reason))
                .map(rows -> rows.rowCount() == 1);
    }

    // Replays (an operator re-published a journaled event with x-replay-of): the job goes back to where the replayed
    // event leaves it, whatever it had become; the failure and delivery of the earlier run are cleared (the journal
    // keeps them). A job in the middle of a run (SUBMITTED, READY) is not reset: its own chain is still going.

    private static final String CLEAR_OUTCOME = "failed_stage = NULL, error_class = NULL, provider_code = NULL, "
            + "failure_reason = NULL, failed_at = NULL, delivery_mode = NULL, telegram_message_id = NULL, "
            + "telegram_file_id = NULL, delivered_at = NULL, updated_at = now()";

    /**
     * Records that the replayed message {@code messageId} acts on this job; false when it already did (a redelivery
     * of the replay must not reset the job a second time).
     */
    public Uni<Boolean> claimReplay(SqlClient tx, UUID messageId, String jobId, Stage stage, String replayOf) {
        return tx.preparedQuery(
                        "INSERT INTO pipeline.job_replay (message_id, job_id, stage, replay_of) VALUES ($1,$2,$3,$4) "
                                + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(messageId, jobId, stage.name(), replayOf))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replay of {@code prompt.built}: back to PROMPTED with that prompt and no task, to be submitted again. */
    public Uni<Boolean> resetForReplayedSubmit(SqlClient tx, PromptBuilt built) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'PROMPTED', prompt = $2, prompt_source = $3, model = $4, "
                                + "aspect_ratio = $5, kie_task_id = NULL, kie_key_id = NULL, poll_count = 0, deadline = NULL, "
                                + "submit_started_at = NULL, video_url = NULL, resolution = NULL, ready_at = NULL, "
                                + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND status IN ('PROMPTED', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.of(
                        built.job().jobId(), built.prompt(), built.source().name(), built.model(), built.aspectRatio()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Replay of {@code video.submitted}: rendering again with the same KIE task, a fresh deadline and a new poll chain
     * (poll count 0, so the looks of an older chain are stale and stop).
     */
    public Uni<Boolean> resetForReplayedPoll(SqlClient tx, String jobId, String taskId, Instant deadline) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'SUBMITTED', poll_count = 0, deadline = $3, "
                                + "video_url = NULL, resolution = NULL, ready_at = NULL, " + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND kie_task_id = $2 AND status IN ('SUBMITTED', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.of(jobId, taskId, utc(deadline)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replay of {@code video.ready}: READY with that video, to be delivered again. */
    public Uni<Boolean> resetForReplayedDelivery(SqlClient tx, String jobId, String videoUrl, String resolution) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'READY', video_url = $2, resolution = $3, " + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND status IN ('READY', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.of(jobId, videoUrl, resolution))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Replay of {@code generation.funded}: a job that failed (or was never written down) gets the new prompt and is
     * PROMPTED again; a job that is running or delivered is left alone. Returns whether this job is to be submitted.
     */
    public Uni<Boolean> upsertForReplayedPrompt(SqlClient tx, PromptBuilt built) {
        return tx.preparedQuery(
                        "INSERT INTO pipeline.job AS job " + PROMPTED_ROW + " ON CONFLICT (job_id) DO UPDATE SET "
                                + "status = 'PROMPTED', prompt = EXCLUDED.prompt, prompt_source = EXCLUDED.prompt_source, "
                                + "model = EXCLUDED.model, aspect_ratio = EXCLUDED.aspect_ratio, kie_task_id = NULL, kie_key_id = NULL, "
                                + "poll_count = 0, deadline = NULL, submit_started_at = NULL, video_url = NULL, resolution = NULL, "
                                + "ready_at = NULL, " + CLEAR_OUTCOME + " WHERE job.status = 'FAILED'")
                .execute(promptedRow(built))
                .map(rows -> rows.rowCount() == 1);
    }

    /** How many jobs of a request are in each state (jobs not yet recorded are missing from the map). */
    public Uni<Map<JobStatus, Integer>> countByStatus(SqlClient client, String requestId) {
        return client.preparedQuery(
                        "SELECT status, count(*) AS n FROM pipeline.job WHERE request_id = $1 GROUP BY status")
                .execute(Tuple.of(requestId))
                .map(rows -> {
                    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
                    for (Row row : rows) {
                        counts.put(JobStatus.valueOf(row.getString("status")), row.getInteger("n"));
                    }
                    return counts;
                });
    }

    private static Job toJob(Row row) {
        Photo photo = row.getString("photo_file_id") == null
                ? null
                : new Photo(row.getString("photo_file_id"), row.getString("photo_unique_id"));
        JobRef ref = new JobRef(
                row.getString("job_id"),
                row.getString("request_id"),
                row.getLong("user_id"),
                row.getLong("chat_id"),
                Language.fromCode(row.getString("locale")),
                row.getInteger("job_index"),
                row.getInteger("total"),
                photo);
        OffsetDateTime deadline = row.getOffsetDateTime("deadline");
        return new Job(
                ref,
                JobStatus.valueOf(row.getString("status")),
                row.getString("prompt"),
                PromptSource.valueOf(row.getString("prompt_source")),
                row.getString("model"),
                row.getString("aspect_ratio"),
                row.getString("kie_task_id"),
                row.getString("kie_key_id"),
                row.getInteger("render_attempts"),
                row.getInteger("poll_count"),
                deadline == null ? null : deadline.toInstant(),
                row.getString("video_url"),
                row.getOffsetDateTime("created_at").toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
