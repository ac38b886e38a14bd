package com.neurocards.gateway.repository;

import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.gateway.conversation.Draft;
import com.neurocards.gateway.conversation.Input.OrderFate;
import com.neurocards.gateway.conversation.Input.ProductSource;
import com.neurocards.gateway.conversation.PhotoKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generations users started and what became of each video: written at Confirm, then kept up to date from the
 * events on {@code gateway.updates}. Every read for a user filters by that user, so someone else's job id finds
 * nothing.
 */
@ApplicationScoped
public class GenerationRepository {

    /** Where a generation stands (the request as a whole). */
    public enum RequestStatus {
        REQUESTED,
        FUNDED,
        REJECTED
    }

    /** Where one video stands. */
    public enum JobStatus {
        QUEUED,
        DELIVERED,
        FAILED,
        REFUNDED
    }

    public record JobView(String jobId, int index, JobStatus status, String telegramFileId) {}

    public record GenerationView(
            String requestId,
            OffsetDateTime createdAt,
            Template template,
            int count,
            RequestStatus status,
            List<JobView> jobs) {}

    public record Delivered(String telegramFileId, String deliveryMode) {}

    private final Pool pool;

    public GenerationRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insertRequested(SqlConnection tx, GenerationRequested request, long draftNumber, PhotoKind kind) {
        return tx.preparedQuery("INSERT INTO gateway.generation (request_id, user_id, chat_id, draft_number, language,"
                        + " photo_file_id, photo_unique_id, photo_kind, description, template, wishes, custom_prompt,"
                        + " video_count, status, model) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                        + " $15)")
                .execute(Sql.params(
                        request.requestId(),
                        request.userId(),
                        request.chatId(),
                        draftNumber,
                        request.locale().code(),
                        request.photo().fileId(),
                        request.photo().fileUniqueId(),
                        kind.name(),
                        request.description(),
                        request.template().name(),
                        request.wishes(),
                        request.customPrompt(),
                        request.count(),
                        RequestStatus.REQUESTED.name(),
                        request.model()))
                .replaceWithVoid();
    }

    /**
     * What became of the order the user confirmed on draft {@code draftNumber}'s card: rejected for credits, started
     * (or on its way to billing), or never confirmed.
     */
    public Uni<OrderFate> fate(SqlClient client, long userId, long draftNumber) {
        return client.preparedQuery("SELECT status FROM gateway.generation WHERE user_id = $1 AND draft_number = $2")
                .execute(Tuple.of(userId, draftNumber))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return OrderFate.NOT_CONFIRMED;
                    }
                    return RequestStatus.REJECTED
                                    .name()
                                    .equals(rows.iterator().next().getString("status"))
                            ? OrderFate.REJECTED
                            : OrderFate.STARTED;
                });
    }

    /** A confirmed order billing rejected: whose it was, the draft it came from, and the order itself. */
    public record RejectedOrder(long userId, long chatId, long draftNumber, Draft draft) {}

    /** The photo and description behind a job, if the job is this user's. */
    public Uni<Optional<ProductSource>> productOfJob(SqlClient client, String jobId, long userId) {
        int dash = jobId.lastIndexOf('-');
        if (dash <= 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        return client.preparedQuery(
                        "SELECT photo_file_id, photo_unique_id, photo_kind, description FROM gateway.generation"
                                + " WHERE request_id = $1 AND user_id = $2")
                .execute(Tuple.of(jobId.substring(0, dash), userId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<ProductSource>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ProductSource(
                            new Photo(row.getString("photo_file_id"), row.getString("photo_unique_id")),
                            PhotoKind.valueOf(row.getString("photo_kind")),
                            row.getString("description")));
                });
    }

    /** The Telegram file of a delivered job of this user, if there is one. */
    public Uni<Optional<Delivered>> deliveredVideo(String jobId, long userId) {
        return pool.preparedQuery(
                        "SELECT telegram_file_id, delivery_mode FROM gateway.job"
                                + " WHERE job_id = $1 AND user_id = $2 AND status = 'DELIVERED' AND telegram_file_id IS NOT NULL")
                .execute(Tuple.of(jobId, userId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Delivered>empty()
                        : Optional.of(new Delivered(
                                rows.iterator().next().getString("telegram_file_id"),
                                rows.iterator().next().getString("delivery_mode"))));
    }

    /** The user's latest generations, newest first, with their videos. */
    public Uni<List<GenerationView>> recent(long userId, int limit) {
        return pool.preparedQuery("SELECT g.request_id, g.created_at, g.template, g.video_count, g.status,"
                        + " j.job_id, j.job_index, j.status AS job_status, j.telegram_file_id"
                        + " FROM (SELECT * FROM gateway.generation WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2) g"
                        + " LEFT JOIN gateway.job j ON j.request_id = g.request_id"
                        + " ORDER BY g.created_at DESC, j.job_index")
                .execute(Tuple.of(userId, limit))
                .map(rows -> {
                    Map<String, GenerationView> views = new LinkedHashMap<>();
                    for (Row row : rows) {
                        GenerationView view = views.computeIfAbsent(
                                row.getString("request_id"),
                                id -> new GenerationView(
                                        id,
                                        row.getOffsetDateTime("created_at"),
                                        Template.valueOf(row.getString("template")),
                                        row.getInteger("video_count"),
                                        RequestStatus.valueOf(row.getString("status")),
                                        new ArrayList<>()));
                        if (row.getString("job_id") != null) {
                            view.jobs()
                                    .add(new JobView(
                                            row.getString("job_id"),
                                            row.getInteger("job_index"),
                                            JobStatus.valueOf(row.getString("job_status")),
                                            row.getString("telegram_file_id")));
                        }
                    }
                    return List.copyOf(views.values());
                });
    }

    // ---- from gateway.updates ----------------------------------------------------------------------------------

    /** Billing funded the request: its jobs exist now. Also records a request this instance never saw (replays). */
    public Uni<Void> funded(SqlConnection tx, GenerationRequested request, List<String> jobIds) {
        Uni<Void> generation = tx.preparedQuery(
                        "INSERT INTO gateway.generation (request_id, user_id, chat_id, draft_number,"
                                + " language, photo_file_id, photo_unique_id, photo_kind, description, template, wishes, custom_prompt,"
                                + " video_count, status, model) VALUES ($1, $2, $3, NULL, $4, $5, $6, 'PHOTO', $7, $8, $9, $10, $11,"
                                + " 'FUNDED', $12)"
                                + " ON CONFLICT (request_id) DO UPDATE SET status = 'FUNDED', updated_at = now()")
                .execute(Sql.params(
                        request.requestId(),
                        request.userId(),
                        request.chatId(),
                        request.locale().code(),
                        request.photo().fileId(),
                        request.photo().fileUniqueId(),
                        request.description(),
                        request.template().name(),
                        request.wishes(),
                        request.customPrompt(),
                        request.count(),
                        request.model()))
                .replaceWithVoid();
        Uni<Void> chain = generation;
        for (int i = 0; i < jobIds.size(); i++) {
            String jobId = jobIds.get(i);
            int index = i + 1;
            chain = chain.chain(
                    () -> tx.preparedQuery("INSERT INTO gateway.job (job_id, request_id, user_id, job_index, status)"
                                    + " VALUES ($1, $2, $3, $4, 'QUEUED') ON CONFLICT (job_id) DO NOTHING")
                            .execute(Tuple.of(jobId, request.requestId(), request.userId(), index))
                            .replaceWithVoid());
        }
        return chain;
    }

    /**
     * Billing rejected the request: marks it so, and returns the order as it was confirmed (empty when it was marked
     * before, or this gateway never recorded it as requested).
     */
    public Uni<Optional<RejectedOrder>> rejected(SqlConnection tx, String requestId) {
        return tx.preparedQuery("UPDATE gateway.generation SET status = 'REJECTED', updated_at = now()"
                        + " WHERE request_id = $1 AND status = 'REQUESTED' RETURNING user_id, chat_id, draft_number,"
                        + " photo_file_id, photo_unique_id, photo_kind, description, template, wishes, custom_prompt,"
                        + " model, video_count")
                .execute(Tuple.of(requestId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<RejectedOrder>empty();
                    }
                    Row row = rows.iterator().next();
                    Long draftNumber = row.getLong("draft_number");
                    if (draftNumber == null) {
                        return Optional.<RejectedOrder>empty();
                    }
                    String wishes = row.getString("wishes");
                    String prompt = row.getString("custom_prompt");
                    Template template = Template.valueOf(row.getString("template"));
                    Draft draft = new Draft(
                            draftNumber,
                            new Photo(row.getString("photo_file_id"), row.getString("photo_unique_id")),
                            PhotoKind.valueOf(row.getString("photo_kind")),
                            row.getString("description"),
                            template,
                            // the request says null for "no wishes"; the draft says NO_WISHES
                            template == Template.SELF ? null : wishes == null ? Draft.NO_WISHES : wishes,
                            prompt,
                            VideoModel.byId(row.getString("model")).orElse(VideoModel.DEFAULT),
                            row.getInteger("video_count"),
                            false);
                    return Optional.of(
                            new RejectedOrder(row.getLong("user_id"), row.getLong("chat_id"), draftNumber, draft));
                });
    }

    public Uni<Void> delivered(
            SqlConnection tx, String jobId, String requestId, long userId, int index, String fileId, String mode) {
        return tx.preparedQuery(
                        "INSERT INTO gateway.job (job_id, request_id, user_id, job_index, status, telegram_file_id,"
                                + " delivery_mode) VALUES ($1, $2, $3, $4, 'DELIVERED', $5, $6) ON CONFLICT (job_id) DO UPDATE"
                                + " SET status = 'DELIVERED', telegram_file_id = $5, delivery_mode = $6, updated_at = now()")
                .execute(Sql.params(jobId, requestId, userId, index, fileId, mode))
                .replaceWithVoid();
    }

    /** A failed job; a refund that arrived first, or a delivery, is not overwritten. */
    public Uni<Void> failed(
            SqlConnection tx, String jobId, String requestId, long userId, int index, String errorClass) {
        return tx.preparedQuery(
                        "INSERT INTO gateway.job (job_id, request_id, user_id, job_index, status, error_class)"
                                + " VALUES ($1, $2, $3, $4, 'FAILED', $5) ON CONFLICT (job_id) DO UPDATE"
                                + " SET status = 'FAILED', error_class = $5, updated_at = now() WHERE gateway.job.status = 'QUEUED'")
                .execute(Sql.params(jobId, requestId, userId, index, errorClass))
                .replaceWithVoid();
    }

    public Uni<Void> refunded(
            SqlConnection tx, String jobId, String requestId, long userId, int index, String errorClass) {
        return tx.preparedQuery("INSERT INTO gateway.job (job_id, request_id, user_id, job_index, status, error_class)"
                        + " VALUES ($1, $2, $3, $4, 'REFUNDED', $5) ON CONFLICT (job_id) DO UPDATE"
                        + " SET status = 'REFUNDED', error_class = COALESCE(gateway.job.error_class, $5), updated_at = now()"
                        + " WHERE gateway.job.status <> 'DELIVERED'")
                .execute(Sql.params(jobId, requestId, userId, index, errorClass))
                .replaceWithVoid();
    }

    // ---- for operators -----------------------------------------------------------------------------------------

    public record Stats(long requests, Map<String, Long> jobsByStatus) {}

    public Uni<Stats> stats() {
        return pool.query("SELECT count(*) AS n FROM gateway.generation")
                .execute()
                .map(rows -> rows.iterator().next().getLong("n"))
                .chain(requests -> pool.query(
                                "SELECT status, count(*) AS n FROM gateway.job GROUP BY status ORDER BY status")
                        .execute()
                        .map(rows -> {
                            Map<String, Long> byStatus = new LinkedHashMap<>();
                            for (Row row : rows) {
                                byStatus.put(row.getString("status"), row.getLong("n"));
                            }
                            return new Stats(requests, byStatus);
                        }));
    }
}
