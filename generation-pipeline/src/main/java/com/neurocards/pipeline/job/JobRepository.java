package com.neurocards.pipeline.job;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.telegram.SendThrottles;
import io.quarkus.reactive.datasource.ReactiveDataSource;
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
                    + "deadline, video_url, created_at, expires_at, progress_message_id";

    private final Pool pool;
    /** The small pool of the statements a Telegram send waits on ({@link SendThrottles#DATASOURCE}): {@link #sent}. */
    private final Pool sends;
    /** Every job's overall deadline, from the moment it was funded ({@code neurocards.pipeline.job-deadline}). */
    private final Duration jobDeadline;

    public JobRepository(Pool pool, @ReactiveDataSource(SendThrottles.DATASOURCE) Pool sends, PipelineConfig config) {
        this.pool = pool;
        this.sends = sends;
        this.jobDeadline = config.jobDeadline();
    }

    /** The columns and values of a job whose prompt was written ({@link #promptedRow}). */
    private static final String PROMPTED_ROW = "(job_id, request_id, job_index, total, user_id, chat_id, locale, "
            + "photo_file_id, photo_unique_id, status, prompt, prompt_source, model, aspect_ratio, expires_at, "
            + "progress_message_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'PROMPTED',$10,$11,$12,$13,$14,$15)";

    /** The overall deadline of a job funded at {@code fundedAt}. */
    public Instant expiry(Instant fundedAt) {
        return fundedAt.plus(jobDeadline);
    }

    private static Tuple promptedRow(PromptBuilt built, Instant expiresAt) {
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
                .addString(built.aspectRatio())
                .addOffsetDateTime(utc(expiresAt))
                .addLong(card(j));
    }

    /**
     * Records a job whose prompt was written, with its overall deadline ({@link #expiry}); a job already known is left
     * alone. Returns whether it was new.
     */
    public Uni<Boolean> insertPrompted(SqlClient tx, PromptBuilt built, Instant expiresAt) {
        return tx.preparedQuery("INSERT INTO pipeline.job " + PROMPTED_ROW + " ON CONFLICT (job_id) DO NOTHING")
                .execute(promptedRow(built, expiresAt))
                .map(rows -> rows.rowCount() == 1);
    }

    /** {@link #insertPrompted(SqlClient, PromptBuilt, Instant)} for a job first seen now (a replayed prompt). */
    public Uni<Boolean> insertPrompted(SqlClient tx, PromptBuilt built) {
        return insertPrompted(tx, built, expiry(Instant.now()));
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
        return findByTaskId(pool, kieTaskId);
    }

    public Uni<Optional<Job>> findByTaskId(SqlClient client, String kieTaskId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM pipeline.job WHERE kie_task_id = $1")
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
     * Jobs not ended although their overall deadline passed more than {@code grace} ago, whatever state they are in.
     */
    public Uni<List<Job>> expired(Duration grace, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM pipeline.job WHERE status NOT IN ("
                        + JobStatus.TERMINAL_SQL + ") AND expires_at < $1 ORDER BY expires_at LIMIT $2")
                .execute(Tuple.of(OffsetDateTime.now().minus(grace), limit))
                .map(rows -> {
                    List<Job> out = new ArrayList<>();
                    rows.forEach(row -> out.add(toJob(row)));
                    return out;
                });
    }

    /**
     * Whether the job has not ended although its overall deadline has passed (a job without one, written before it
     * existed, never has).
     */
    public Uni<Boolean> pastDeadline(String jobId) {
        return pool.preparedQuery("SELECT expires_at < now() AS past FROM pipeline.job WHERE job_id = $1 "
                        + "AND status NOT IN (" + JobStatus.TERMINAL_SQL + ")")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() > 0
                        && Boolean.TRUE.equals(rows.iterator().next().getBoolean("past")));
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

    /**
     * What {@link #startSend} found and did.
     *
     * @param started        whether a send was started (committed): false when two may already have reached the chat,
     *                       when a send was answered already ({@code sent}), or when another try is sending
     *                       ({@code othersSendFor})
     * @param attempt        the number of this send, for {@link #sendFailed}, {@link #sendLost} and {@link #sent}
     * @param uncertainSends sends that may have reached the chat without an answer, one left in flight by a crash too
     * @param sent           the answer of a send that reached the chat, recorded by {@link #sent} before the job was
     *                       marked delivered (a crash or a lost database connection in between): nothing is sent again
     * @param othersSendFor  when another try's send started less than an upload's time ago: how long it may still
     *                       take; nothing is started, the caller looks again after it
     */
    public record SendStart(
            boolean started,
            int attempt,
            int uncertainSends,
            Optional<Delivered> sent,
            Optional<Duration> othersSendFor) {}

    /**
     * Before a READY job's video is sent (the at-most-twice rule, V7__send_in_flight.sql). A send still in flight that
     * started more than {@code uploadTime} ago is one whose try ended without saying how (its process crashed): it is
     * counted as one that may have reached the chat, and then, unless two may have, a new send is recorded as in
     * flight. A younger one is another try's, still sending (its broker connection lost, its message handed to this
     * instance): nothing is started and its remaining time is told, so the caller looks again rather than send the
     * video beside it. A send already answered ({@link #sent}) starts nothing and is given back. Empty when the job is
     * not READY.
     *
     * @param uploadTime the longest the upload of this video may take (its timeout)
     */
    public Uni<Optional<SendStart>> startSend(String jobId, Duration uploadTime) {
        String uncertain = "uncertain_sends + CASE WHEN send_started_at IS NULL THEN 0 ELSE 1 END";
        double seconds = uploadTime.toMillis() / 1000.0;
        return pool.preparedQuery("UPDATE pipeline.job SET uncertain_sends = " + uncertain + ", "
                        + "send_started_at = CASE WHEN " + uncertain + " >= 2 THEN NULL ELSE now() END, "
                        + "send_attempts = send_attempts + CASE WHEN " + uncertain + " >= 2 THEN 0 ELSE 1 END, "
                        + "updated_at = now() WHERE job_id = $1 AND status = 'READY' AND delivery_mode IS NULL "
                        + "AND (send_started_at IS NULL OR send_started_at < now() - make_interval(secs => $2)) "
                        + "RETURNING send_started_at IS NOT NULL AS started, send_attempts, uncertain_sends")
                .execute(Tuple.of(jobId, seconds))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return notStarted(jobId, seconds);
                    }
                    Row row = rows.iterator().next();
                    return Uni.createFrom()
                            .item(Optional.of(new SendStart(
                                    row.getBoolean("started"),
                                    row.getInteger("send_attempts"),
                                    row.getInteger("uncertain_sends"),
                                    Optional.empty(),
                                    Optional.empty())));
                });
    }

    /** Why {@link #startSend} started nothing: an answered send, another try's send, or a job no longer READY. */
    private Uni<Optional<SendStart>> notStarted(String jobId, double uploadSeconds) {
        return pool.preparedQuery("SELECT delivery_mode, telegram_message_id, telegram_file_id, "
                        + "(EXTRACT(EPOCH FROM (send_started_at + make_interval(secs => $2) - now())) * 1000)::BIGINT "
                        + "AS others_ms FROM pipeline.job WHERE job_id = $1 AND status = 'READY'")
                .execute(Tuple.of(jobId, uploadSeconds))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<SendStart>empty();
                    }
                    Row row = rows.iterator().next();
                    if (row.getString("delivery_mode") != null) {
                        return Optional.of(new SendStart(false, 0, 0, Optional.of(sentVideo(row)), Optional.empty()));
                    }
                    Long othersMillis = row.getLong("others_ms");
                    Duration others = Duration.ofMillis(othersMillis == null ? 0 : Math.max(0, othersMillis));
                    return Optional.of(new SendStart(false, 0, 0, Optional.empty(), Optional.of(others)));
                });
    }

    /**
     * Send {@code attempt} reached the chat: its answer is recorded at once, in one statement of its own, while the job
     * stays READY until the delivery is recorded with its event. A crash or a lost connection between the two leaves
     * the answer here, and the next try records the delivery without sending the video again: the window in which a
     * crash makes a second copy is this statement's round trip, not the whole delivery transaction's. It runs on the
     * sends' own pool, so it never waits behind the stages' work for a connection.
     *
     * @return whether it was recorded (false: the send was no longer this job's one in flight)
     */
    public Uni<Boolean> sent(String jobId, int attempt, Delivered video) {
        return sends.preparedQuery("UPDATE pipeline.job SET delivery_mode = $3, telegram_message_id = $4, "
                        + "telegram_file_id = $5, send_started_at = NULL, updated_at = now() "
                        + "WHERE job_id = $1 AND send_attempts = $2 AND status = 'READY' AND delivery_mode IS NULL")
                .execute(Tuple.of(jobId, attempt, video.mode().name(), video.messageId(), video.fileId()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The answer of a send that reached a READY job's chat ({@link #sent}), if one did. */
    public Uni<Optional<Delivered>> sentVideo(SqlClient client, String jobId) {
        return client.preparedQuery("SELECT delivery_mode, telegram_message_id, telegram_file_id FROM pipeline.job "
                        + "WHERE job_id = $1 AND status = 'READY' AND delivery_mode IS NOT NULL")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Delivered>empty()
                        : Optional.of(sentVideo(rows.iterator().next())));
    }

    private static Delivered sentVideo(Row row) {
        Long messageId = row.getLong("telegram_message_id");
        return new Delivered(
                DeliveryMode.valueOf(row.getString("delivery_mode")),
                messageId == null ? 0 : messageId,
                row.getString("telegram_file_id"));
    }

    /** Send {@code attempt} certainly did not reach the chat (Telegram answered with an error): no longer in flight. */
    public Uni<Boolean> sendFailed(String jobId, int attempt) {
        return pool.preparedQuery(
                        "UPDATE pipeline.job SET send_started_at = NULL, updated_at = now() "
                                + "WHERE job_id = $1 AND send_attempts = $2 AND send_started_at IS NOT NULL AND status = 'READY'")
                .execute(Tuple.of(jobId, attempt))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Send {@code attempt} may have reached the chat, but no answer came: counted, no longer in flight. Returns the
     * sends that may have reached the chat now; empty when another try had already counted it (it found the send in
     * flight) or the job is no longer READY.
     */
    public Uni<Optional<Integer>> sendLost(String jobId, int attempt) {
        return pool.preparedQuery(
                        "UPDATE pipeline.job SET send_started_at = NULL, uncertain_sends = uncertain_sends + 1, "
                                + "updated_at = now() WHERE job_id = $1 AND send_attempts = $2 AND send_started_at IS NOT NULL "
                                + "AND status = 'READY' RETURNING uncertain_sends")
                .execute(Tuple.of(jobId, attempt))
                .map(rows -> rows.size() == 0
                        ? Optional.<Integer>empty()
                        : Optional.of(rows.iterator().next().getInteger("uncertain_sends")));
    }

    /**
     * Whether a send of this READY job may have reached the chat (one whose answer was lost, or one still recorded in
     * flight): such a job must not be failed and refunded. One that did reach it, its answer recorded by {@link #sent},
     * is {@link #sentVideo}, which the caller asks first.
     */
    public Uni<Boolean> maySitInChat(SqlClient client, String jobId) {
        return client.preparedQuery("SELECT 1 FROM pipeline.job WHERE job_id = $1 AND status = 'READY' "
                        + "AND (uncertain_sends > 0 OR send_started_at IS NOT NULL)")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() > 0);
    }

    /** READY → DELIVERED (VIDEO, DOCUMENT, LINK, UNCONFIRMED) or UNDELIVERABLE; the send in flight, if any, is over. */
    public Uni<Boolean> markDelivered(SqlClient tx, String jobId, DeliveryMode mode, Long messageId, String fileId) {
        String status = mode == DeliveryMode.UNDELIVERABLE ? "UNDELIVERABLE" : "DELIVERED";
        return tx.preparedQuery("UPDATE pipeline.job SET status = $2, delivery_mode = $3, telegram_message_id = $4, "
                        + "telegram_file_id = $5, send_started_at = NULL, delivered_at = now(), updated_at = now() "
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
                        + "WHERE job_id = $1 AND status NOT IN (" + JobStatus.TERMINAL_SQL + ")")
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
                                + "error_class, provider_code, failure_reason, failed_at, progress_message_id) "
                                + "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'FAILED','','TEMPLATE','','',$10,$11,$12,$13, now(), $14) "
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
                        .addString(reason)
                        .addLong(card(j)))
                .map(rows -> rows.rowCount() == 1);
    }

    // Replays (an operator re-published a journaled event with x-replay-of): the job goes back to where the replayed
    // event leaves it, whatever it had become; the failure and delivery of the earlier run are cleared (the journal
    // keeps them). A job in the middle of a run (SUBMITTED, READY) is not reset: its own chain is still going. A reset
    // job gets a fresh overall deadline, counted from the replay.

    private static final String CLEAR_OUTCOME = "failed_stage = NULL, error_class = NULL, provider_code = NULL, "
            + "failure_reason = NULL, failed_at = NULL, delivery_mode = NULL, telegram_message_id = NULL, "
            + "telegram_file_id = NULL, delivered_at = NULL, send_attempts = 0, send_started_at = NULL, "
            + "uncertain_sends = 0, updated_at = now()";

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
                                + "expires_at = $6, " + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND status IN ('PROMPTED', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.tuple()
                        .addString(built.job().jobId())
                        .addString(built.prompt())
                        .addString(built.source().name())
                        .addString(built.model())
                        .addString(built.aspectRatio())
                        .addOffsetDateTime(utc(expiry(Instant.now()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Replay of {@code video.submitted}: rendering again with the same KIE task, a fresh deadline and a new poll chain
     * (poll count 0, so the looks of an older chain are stale and stop).
     */
    public Uni<Boolean> resetForReplayedPoll(SqlClient tx, String jobId, String taskId, Instant deadline) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'SUBMITTED', poll_count = 0, deadline = $3, "
                                + "video_url = NULL, resolution = NULL, ready_at = NULL, expires_at = $4, "
                                + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND kie_task_id = $2 AND status IN ('SUBMITTED', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.of(jobId, taskId, utc(deadline), utc(expiry(Instant.now()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replay of {@code video.ready}: READY with that video, to be delivered again. */
    public Uni<Boolean> resetForReplayedDelivery(SqlClient tx, String jobId, String videoUrl, String resolution) {
        return tx.preparedQuery(
                        "UPDATE pipeline.job SET status = 'READY', video_url = $2, resolution = $3, expires_at = $4, "
                                + CLEAR_OUTCOME
                                + " WHERE job_id = $1 AND status IN ('READY', 'FAILED', 'DELIVERED', 'UNDELIVERABLE')")
                .execute(Tuple.of(jobId, videoUrl, resolution, utc(expiry(Instant.now()))))
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
                                + "ready_at = NULL, expires_at = EXCLUDED.expires_at, " + CLEAR_OUTCOME
                                + " WHERE job.status = 'FAILED'")
                .execute(promptedRow(built, expiry(Instant.now())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** How many jobs of a request are in each state (jobs not yet recorded are missing from the map). */
    /** The request's jobs for its progress message, by their place in the request. */
    public Uni<List<JobProgress>> progressOf(SqlClient client, String requestId) {
        return client.preparedQuery("SELECT job_index, status, model, submitted_at, refunded_at FROM pipeline.job "
                        + "WHERE request_id = $1 ORDER BY job_index")
                .execute(Tuple.of(requestId))
                .map(rows -> {
                    List<JobProgress> out = new ArrayList<>();
                    for (Row row : rows) {
                        OffsetDateTime submitted = row.getOffsetDateTime("submitted_at");
                        out.add(new JobProgress(
                                row.getInteger("job_index"),
                                JobStatus.valueOf(row.getString("status")),
                                row.getString("model"),
                                submitted == null ? null : submitted.toInstant(),
                                row.getOffsetDateTime("refunded_at") != null));
                    }
                    return out;
                });
    }

    /** Notes that billing's refund of the job arrived (shown on the progress message); false for an unknown job. */
    public Uni<Boolean> markRefunded(SqlClient tx, String jobId) {
        return tx.preparedQuery("UPDATE pipeline.job SET refunded_at = coalesce(refunded_at, now()) WHERE job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Requests with a job rendering whose progress message was last edited more than {@code interval} ago: their
     * elapsed render time is due to be shown again.
     */
    public Uni<List<String>> renderingRequests(Duration interval, int limit) {
        return pool.preparedQuery(
                        "SELECT p.request_id FROM pipeline.progress_message p "
                                + "WHERE p.message_id IS NOT NULL AND p.updated_at < $1 AND EXISTS (SELECT 1 FROM pipeline.job j "
                                + "WHERE j.request_id = p.request_id AND j.status = 'SUBMITTED') ORDER BY p.updated_at LIMIT $2")
                .execute(Tuple.of(OffsetDateTime.now().minus(interval), limit))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(row -> out.add(row.getString("request_id")));
                    return out;
                });
    }

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

    private static Long card(JobRef job) {
        return job.progressMessageId() == null ? null : job.progressMessageId().longValue();
    }

    private static Integer cardOf(Row row) {
        Long card = row.getLong("progress_message_id");
        return card == null ? null : card.intValue();
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
                photo,
                cardOf(row));
        OffsetDateTime deadline = row.getOffsetDateTime("deadline");
        OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
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
                row.getOffsetDateTime("created_at").toInstant(),
                expiresAt == null ? null : expiresAt.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
