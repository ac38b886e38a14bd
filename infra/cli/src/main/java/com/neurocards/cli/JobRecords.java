package com.neurocards.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI reads about a job or a request, read-only: the event journal and jobs of the pipeline
 * ({@code pipeline.journal}, {@code pipeline.job}, {@code pipeline.job_replay}, {@code pipeline.progress_message}) and
 * billing's ledger ({@code billing.ledger_entry}).
 */
final class JobRecords {

    private static final String JOURNAL_COLUMNS =
            "id, message_id, event_type, exchange, routing_key, request_id, job_id, "
                    + "attempt, replay_of, dead_letter_stage, error_class, dead_letter_cause, headers::text AS headers, "
                    + "envelope::text AS envelope, published_at, received_at";

    private final Database db;

    JobRecords(Database db) {
        this.db = db;
    }

    Optional<Map<String, Object>> job(String jobId) {
        return db.rowsIfPresent("SELECT * FROM pipeline.job WHERE job_id = ?", jobId).stream()
                .findFirst();
    }

    List<Map<String, Object>> jobsOfRequest(String requestId) {
        return db.rowsIfPresent("SELECT * FROM pipeline.job WHERE request_id = ? ORDER BY job_index", requestId);
    }

    /** The request a job id belongs to, from its job row or, for a job never written down, from the journal. */
    Optional<String> requestOfJob(String jobId) {
        return job(jobId).map(job -> (String) job.get("request_id")).or(() -> db
                .rowsIfPresent(
                        "SELECT request_id FROM pipeline.journal WHERE job_id = ? AND request_id IS NOT NULL "
                                + "LIMIT 1",
                        jobId)
                .stream()
                .findFirst()
                .map(row -> (String) row.get("request_id")));
    }

    boolean requestKnown(String requestId) {
        return !db.rowsIfPresent("SELECT 1 FROM pipeline.journal WHERE request_id = ? LIMIT 1", requestId)
                        .isEmpty()
                || !jobsOfRequest(requestId).isEmpty();
    }

    /** A job's journal: its own messages and its request's messages about no job in particular (requested, funded). */
    List<Map<String, Object>> journalOfJob(String jobId, String requestId) {
        return db.rowsIfPresent(
                "SELECT " + JOURNAL_COLUMNS + " FROM pipeline.journal WHERE job_id = ? "
                        + "OR (request_id = ? AND job_id IS NULL) ORDER BY id",
                jobId,
                requestId);
    }

    List<Map<String, Object>> journalOfRequest(String requestId) {
        return db.rowsIfPresent(
                "SELECT " + JOURNAL_COLUMNS + " FROM pipeline.journal WHERE request_id = ? ORDER BY id", requestId);
    }

    /**
     * The newest journaled copy of an event of this type, as it was published to the events exchange (not a dead
     * letter), for a job — or, for a request-wide event, for the job's request.
     */
    Optional<Map<String, Object>> latestEvent(String eventType, String jobId, String requestId, boolean requestWide) {
        String about = requestWide ? "request_id = ? AND job_id IS NULL" : "job_id = ?";
        return db
                .rowsIfPresent(
                        "SELECT " + JOURNAL_COLUMNS + " FROM pipeline.journal WHERE event_type = ? AND " + about
                                + " AND exchange = 'neurocards' AND envelope IS NOT NULL ORDER BY id DESC LIMIT 1",
                        eventType,
                        requestWide ? requestId : jobId)
                .stream()
                .findFirst();
    }

    /** Billing's ledger entries of a request (its debit) and of its jobs (refunds); {@code jobId} narrows to one job. */
    List<Map<String, Object>> ledger(String requestId, String jobId) {
        return db.rowsIfPresent(
                "SELECT kind, amount, balance_after, request_id, job_id, idempotency_key, reason, created_at "
                        + "FROM billing.ledger_entry WHERE request_id = ? AND (CAST(? AS TEXT) IS NULL OR job_id IS NULL OR job_id = ?) ORDER BY id",
                requestId,
                jobId,
                jobId);
    }

    Optional<Map<String, Object>> progressMessage(String requestId) {
        return db
                .rowsIfPresent(
                        "SELECT message_id, chat_id, last_text, created_at, updated_at FROM pipeline.progress_message "
                                + "WHERE request_id = ?",
                        requestId)
                .stream()
                .findFirst();
    }

    List<Map<String, Object>> replays(String requestId) {
        return db.rowsIfPresent(
                "SELECT r.message_id, r.job_id, r.stage, r.replay_of, r.replayed_at FROM pipeline.job_replay r "
                        + "JOIN pipeline.job j ON j.job_id = r.job_id WHERE j.request_id = ? ORDER BY r.replayed_at",
                requestId);
    }
}
