package com.neurocards.gateway.repository;

import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.gateway.conversation.ConversationState;
import com.neurocards.gateway.conversation.Draft;
import com.neurocards.gateway.conversation.PhotoKind;
import com.neurocards.gateway.conversation.Step;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Conversations with their open draft, one row per user. */
@ApplicationScoped
public class ConversationRepository {

    private static final String COLUMNS =
            "user_id, chat_id, language, step, draft_counter, last_confirmed_draft, draft_number,"
                    + " photo_file_id, photo_unique_id, photo_kind, description, template, wishes, custom_prompt, model, video_count,"
                    + " editing, kept";

    /**
     * The user's conversation, created at the menu in {@code firstLanguage} on first contact, locked for the caller's
     * transaction: one user's updates are applied one after another even when several instances handle them. An
     * existing conversation keeps its language, whatever {@code firstLanguage} says.
     */
    public Uni<ConversationState> lock(SqlConnection tx, long userId, long chatId, Language firstLanguage) {
        // the usual case, a user the bot knows, in one statement; a new one's row is inserted first (a concurrent first
        // update of the same user waits on the key, then finds the row)
        return lockExisting(tx, userId).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found.withChat(chatId));
            }
            ConversationState fresh = ConversationState.fresh(userId, chatId, firstLanguage);
            return tx.preparedQuery("INSERT INTO gateway.conversation (user_id, chat_id, language, step)"
                            + " VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING")
                    .execute(Tuple.of(
                            userId,
                            chatId,
                            fresh.language().code(),
                            fresh.step().name()))
                    .chain(() -> lockExisting(tx, userId))
                    .map(state -> state.withChat(chatId));
        });
    }

    /** The user's conversation locked for the transaction, or null when there is none. */
    private Uni<ConversationState> lockExisting(SqlConnection tx, long userId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM gateway.conversation WHERE user_id = $1 FOR UPDATE")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    public Uni<Void> save(SqlConnection tx, ConversationState state) {
        Draft d = state.draft();
        return tx.preparedQuery(
                        "UPDATE gateway.conversation SET chat_id = $2, language = $3, step = $4, draft_counter = $5,"
                                + " last_confirmed_draft = $6, draft_number = $7, photo_file_id = $8, photo_unique_id = $9,"
                                + " photo_kind = $10, description = $11, template = $12, wishes = $13, custom_prompt = $14,"
                                + " video_count = $15, editing = $16, model = $17, kept = $18, updated_at = now()"
                                + " WHERE user_id = $1")
                .execute(Sql.params(
                        state.userId(),
                        state.chatId(),
                        state.language().code(),
                        state.step().name(),
                        state.draftCounter(),
                        state.lastConfirmedDraft(),
                        d == null ? null : d.number(),
                        d == null || d.photo() == null ? null : d.photo().fileId(),
                        d == null || d.photo() == null ? null : d.photo().fileUniqueId(),
                        d == null || d.photoKind() == null
                                ? null
                                : d.photoKind().name(),
                        d == null ? null : d.description(),
                        d == null || d.template() == null ? null : d.template().name(),
                        d == null ? null : d.wishes(),
                        d == null ? null : d.customPrompt(),
                        d == null ? 0 : d.count(),
                        d != null && d.editing(),
                        d == null || d.model() == null ? null : d.model().id(),
                        state.kept()))
                .replaceWithVoid();
    }

    /** The user's language (the default for a user the bot never talked to). */
    public Uni<Language> language(SqlClient client, long userId) {
        return language(client, userId, Language.DEFAULT);
    }

    /** The user's language ({@code whenNew} for a user the bot never talked to). */
    public Uni<Language> language(SqlClient client, long userId, Language whenNew) {
        return client.preparedQuery("SELECT language FROM gateway.conversation WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0
                        ? whenNew
                        : Language.fromCode(rows.iterator().next().getString("language")));
    }

    private static ConversationState read(Row row) {
        Long number = row.getLong("draft_number");
        Draft draft = null;
        if (number != null) {
            String fileId = row.getString("photo_file_id");
            String template = row.getString("template");
            String kind = row.getString("photo_kind");
            draft = new Draft(
                    number,
                    fileId == null ? null : new Photo(fileId, row.getString("photo_unique_id")),
                    kind == null ? null : PhotoKind.valueOf(kind),
                    row.getString("description"),
                    template == null ? null : Template.valueOf(template),
                    row.getString("wishes"),
                    row.getString("custom_prompt"),
                    VideoModel.byId(row.getString("model")).orElse(null),
                    row.getInteger("video_count"),
                    row.getBoolean("editing"));
        }
        return new ConversationState(
                row.getLong("user_id"),
                row.getLong("chat_id"),
                Language.fromCode(row.getString("language")),
                Step.valueOf(row.getString("step")),
                draft,
                row.getLong("draft_counter"),
                row.getLong("last_confirmed_draft"),
                row.getBoolean("kept"));
    }
}
