package com.neurocards.gateway.conversation;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.conversation.Input.MakeMoreFrom;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.repository.GenerationRepository;
import com.neurocards.gateway.repository.UpdateLog;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Applies one update to one user's conversation in one transaction: claim the update id (a duplicate stops here),
 * lock the conversation row, run the {@link Conversation}, save the new state and — on Confirm — record the
 * generation and write {@code generation.requested} to the outbox. Either all of it commits or none of it does, so
 * a double-pressed Confirm finds the draft already closed and starts nothing.
 */
@ApplicationScoped
public class ConversationService {

    private final Transactions transactions;
    private final UpdateLog updates;
    private final ConversationRepository conversations;
    private final GenerationRepository generations;
    private final Outbox outbox;
    private final Conversation conversation;

    public ConversationService(
            Transactions transactions,
            UpdateLog updates,
            ConversationRepository conversations,
            GenerationRepository generations,
            Outbox outbox,
            Conversation conversation) {
        this.transactions = transactions;
        this.updates = updates;
        this.conversations = conversations;
        this.generations = generations;
        this.outbox = outbox;
        this.conversation = conversation;
    }

    /**
     * The outcome, or empty when this update was handled before. {@code appLanguage} (the sender's app language) is
     * the language of a conversation this update starts; an existing conversation keeps its own.
     */
    public Uni<Optional<Outcome>> apply(long updateId, long userId, long chatId, Language appLanguage, Input input) {
        return transactions.inTransaction(tx -> updates.claim(tx, updateId, userId)
                .chain(fresh -> fresh
                        ? conversations
                                .lock(tx, userId, chatId, appLanguage)
                                .chain(state -> step(tx, state, input))
                                .map(Optional::of)
                        : Uni.createFrom().item(Optional.<Outcome>empty())));
    }

    private Uni<Outcome> step(SqlConnection tx, ConversationState before, Input input) {
        return resolve(tx, before, input)
                .map(resolved -> conversation.handle(before, resolved))
                .call(outcome -> conversations.save(tx, outcome.state()))
                .call(outcome -> outcome.request() == null
                        ? Uni.createFrom().voidItem()
                        : generations
                                .insertRequested(
                                        tx,
                                        outcome.request(),
                                        before.draft().number(),
                                        before.draft().photoKind())
                                .chain(() -> outbox.publish(tx, Envelope.of(outcome.request()))));
    }

    /** Looks up what a job button refers to, for this user only. */
    private Uni<Input> resolve(SqlConnection tx, ConversationState state, Input input) {
        if (input instanceof Input.Press press && press.callback() instanceof Callback.MakeMore more) {
            return generations
                    .productOfJob(tx, more.jobId(), state.userId())
                    .map(source -> new MakeMoreFrom(source.orElse(null)));
        }
        return Uni.createFrom().item(input);
    }
}
