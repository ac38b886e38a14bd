package com.neurocards.pipeline.journal;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The journal table ({@code pipeline.journal}): batched, idempotent inserts and the retention delete. */
@ApplicationScoped
public class JournalRepository {

    private static final String INSERT =
            "INSERT INTO pipeline.journal (crossing_key, message_id, event_type, exchange, "
                    + "routing_key, request_id, job_id, attempt, replay_of, dead_letter_stage, error_class, dead_letter_cause, "
                    + "headers, envelope, raw_body, published_at) "
                    + "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) "
                    + "ON CONFLICT (crossing_key) DO NOTHING";

    private final Pool pool;

    public JournalRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the entries in one statement; an entry stored before (a redelivery) is skipped. */
    public Uni<Void> store(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = entries.stream().map(JournalRepository::row).toList();
        return pool.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }

    /** Deletes rows received before {@code cutoff}; returns how many. */
    public Uni<Integer> deleteReceivedBefore(Instant cutoff) {
        return pool.preparedQuery("DELETE FROM pipeline.journal WHERE received_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    private static Tuple row(JournalEntry e) {
        OffsetDateTime published =
                e.publishedAt() == null ? null : e.publishedAt().atOffset(ZoneOffset.UTC);
        return Tuple.tuple()
                .addString(e.crossingKey())
                .addString(e.messageId())
                .addString(e.eventType())
                .addString(e.exchange())
                .addString(e.routingKey())
                .addString(e.requestId())
                .addString(e.jobId())
                .addInteger(e.attempt())
                .addString(e.replayOf())
                .addString(e.deadLetterStage())
                .addString(e.errorClass())
                .addString(e.deadLetterCause())
                // as JSON objects: a String bound to a jsonb parameter would be stored as one JSON string
                .addValue(new JsonObject(e.headersJson()))
                .addValue(e.envelopeJson() == null ? null : new JsonObject(e.envelopeJson()))
                .addString(e.rawBody())
                .addOffsetDateTime(published);
    }
}
