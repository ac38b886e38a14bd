package com.neurocards.pipeline.notify;

import com.neurocards.contracts.event.Language;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The progress message of each request ({@code pipeline.progress_message}): its Telegram id and what it says now. */
@ApplicationScoped
public class ProgressMessages {

    /** One request's progress message, locked for the current transaction. */
    public record Progress(
            String requestId,
            long chatId,
            Language locale,
            int total,
            Long messageId,
            String lastText,
            boolean retrying) {}

    /**
     * Creates the row if needed and locks it: events of one request are rendered one at a time, so two edits never
     * race and the message never goes backwards.
     */
    public Uni<Progress> lock(SqlClient tx, String requestId, long chatId, Language locale, int total) {
        return tx.preparedQuery("INSERT INTO pipeline.progress_message (request_id, chat_id, locale, total) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO NOTHING")
                .execute(Tuple.of(requestId, chatId, locale.code(), total))
                .chain(() -> tx.preparedQuery(
                                "SELECT request_id, chat_id, locale, total, message_id, last_text, retrying "
                                        + "FROM pipeline.progress_message WHERE request_id = $1 FOR UPDATE")
                        .execute(Tuple.of(requestId)))
                .map(rows -> toProgress(rows.iterator().next()));
    }

    public Uni<Void> update(SqlClient tx, String requestId, Long messageId, String text, boolean retrying) {
        return tx.preparedQuery("UPDATE pipeline.progress_message SET message_id = $2, last_text = $3, retrying = $4, "
                        + "updated_at = now() WHERE request_id = $1")
                .execute(Tuple.of(requestId, messageId, text, retrying))
                .replaceWithVoid();
    }

    private static Progress toProgress(Row row) {
        return new Progress(
                row.getString("request_id"),
                row.getLong("chat_id"),
                Language.fromCode(row.getString("locale")),
                row.getInteger("total"),
                row.getLong("message_id"),
                row.getString("last_text"),
                row.getBoolean("retrying"));
    }
}
