package com.neurocards.pipeline.notify;

import com.neurocards.contracts.event.Language;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The progress message of each request ({@code pipeline.progress_message}): its Telegram id, whether it is the
 * seller's confirmation card (edited through its caption) or a text message the pipeline sent, and what it says now.
 */
@ApplicationScoped
public class ProgressMessages {

    private static final String COLUMNS =
            "request_id, chat_id, locale, total, message_id, on_card, last_text, retrying, awaiting_funding";

    /** One request's progress message, locked for the current transaction. */
    public record Progress(
            String requestId,
            long chatId,
            Language locale,
            int total,
            Long messageId,
            boolean onCard,
            String lastText,
            boolean retrying,
            boolean awaitingFunding) {}

    /**
     * Creates the row if needed and locks it: events of one request are rendered one at a time, so two edits never
     * race and the message never goes backwards.
     *
     * @param cardMessageId the seller's confirmation card, when the event names it: a new row starts with it as the
     *     progress message, recorded before anything is shown, so nothing is ever sent for this request; {@code null}
     *     for a row whose message is sent when first shown
     */
    public Uni<Progress> lock(
            SqlClient tx, String requestId, long chatId, Language locale, int total, Integer cardMessageId) {
        Long card = cardMessageId == null ? null : cardMessageId.longValue();
        return tx.preparedQuery("INSERT INTO pipeline.progress_message "
                        + "(request_id, chat_id, locale, total, message_id, on_card) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO NOTHING")
                .execute(Tuple.of(requestId, chatId, locale.code(), total, card, card != null))
                .chain(() -> tx.preparedQuery("SELECT " + COLUMNS
                                + " FROM pipeline.progress_message WHERE request_id = $1 FOR UPDATE")
                        .execute(Tuple.of(requestId)))
                .map(rows -> toProgress(rows.iterator().next()));
    }

    /**
     * Locks the request's row if it exists: empty when the request has no progress message yet, and with
     * {@code skipLocked} also when another transaction holds the row (it is being rendered right now).
     */
    public Uni<Optional<Progress>> lockExisting(SqlClient tx, String requestId, boolean skipLocked) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM pipeline.progress_message WHERE request_id = $1 FOR UPDATE"
                        + (skipLocked ? " SKIP LOCKED" : ""))
                .execute(Tuple.of(requestId))
                .map(rows -> rows.size() == 0
                        ? Optional.<Progress>empty()
                        : Optional.of(toProgress(rows.iterator().next())));
    }

    public Uni<Void> update(
            SqlClient tx,
            String requestId,
            Long messageId,
            boolean onCard,
            String text,
            boolean retrying,
            boolean awaitingFunding) {
        return tx.preparedQuery("UPDATE pipeline.progress_message SET message_id = $2, on_card = $3, last_text = $4, "
                        + "retrying = $5, awaiting_funding = $6, updated_at = now() WHERE request_id = $1")
                .execute(Tuple.tuple()
                        .addString(requestId)
                        .addLong(messageId)
                        .addBoolean(onCard)
                        .addString(text)
                        .addBoolean(retrying)
                        .addBoolean(awaitingFunding))
                .replaceWithVoid();
    }

    private static Progress toProgress(Row row) {
        return new Progress(
                row.getString("request_id"),
                row.getLong("chat_id"),
                Language.fromCode(row.getString("locale")),
                row.getInteger("total"),
                row.getLong("message_id"),
                row.getBoolean("on_card"),
                row.getString("last_text"),
                row.getBoolean("retrying"),
                row.getBoolean("awaiting_funding"));
    }
}
