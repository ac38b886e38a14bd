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
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies one update to one user's conversation in one transaction: claim the update id (a duplicate stops here),
 * lock the conversation row, run the {@link Conversation}, save the new state and — on Confirm — record the
 * generation and write {@code generation.requested} to the outbox. Either all of it commits or none of it does, so
 * a double-pressed Confirm finds the draft already closed and starts nothing.
 */
@ApplicationScoped
public class ConversationService {

    private static final Logger LOG = Logger.getLogger(ConversationService.class);

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

    /**
     * Looks up what a job button refers to, for this user only; and what became of the order of a Confirm pressed on
     * a card that is not the open one (started, rejected, or never confirmed), so the answer can say which.
     */
    private Uni<Input> resolve(SqlConnection tx, ConversationState state, Input input) {
        if (input instanceof Input.Press press && press.callback() instanceof Callback.MakeMore more) {
            return generations
                    .productOfJob(tx, more.jobId(), state.userId())
                    .map(source -> new MakeMoreFrom(source.orElse(null)));
        }
        if (input instanceof Input.Press press
                && press.callback() instanceof Callback.Confirm confirm
                && !Conversation.onCard(state, confirm.draft())) {
            return generations
                    .fate(tx, state.userId(), confirm.draft())
                    .map(fate -> new Input.PastConfirm(confirm.draft(), fate));
        }
        return Uni.createFrom().item(input);
    }

    /** What to show a user after an event changed their conversation; shown after the transaction commits. */
    public record Shown(long userId, long chatId, Language language, List<Reply> replies) {}

    /**
     * Billing rejected an order for credits: the order is kept as the open draft, waiting on its card (under a new
     * number), unless the seller has moved on to another order since (docs/architecture.md#a-rejected-order-is-kept).
     * What to tell the seller, if the order was kept. {@code locale} (the order's) is only used if the seller has no
     * conversation yet, which an order implies they have.
     */
    public Uni<Optional<Shown>> keepRejected(
            SqlConnection tx, GenerationRepository.RejectedOrder order, Language locale) {
        return conversations.lock(tx, order.userId(), order.chatId(), locale).chain(state -> {
            if (state.step() != Step.MENU || state.draftCounter() != order.draftNumber()) {
                LOG.infof(
                        "Rejected order of user %d (draft %d) not kept: the seller has moved on (step %s, draft %d)",
                        order.userId(), order.draftNumber(), state.step(), state.draftCounter());
                return Uni.createFrom().item(Optional.<Shown>empty());
            }
            ConversationState kept = state.keep(order.draft());
            long n = kept.draft().number();
            Reply notice = Reply.Message.of(
                            "order.kept", conversation.card(kept.draft()).cost())
                    .withButtons(List.of(
                            List.of(Reply.Button.of("button.buy", new Callback.Nav(Callback.Target.BUY))),
                            List.of(
                                    Reply.Button.of("button.edit", new Callback.Edit(n)),
                                    Reply.Button.of("button.cancel", new Callback.Cancel(n)))));
            return conversations
                    .save(tx, kept)
                    .replaceWith(
                            Optional.of(new Shown(state.userId(), state.chatId(), state.language(), List.of(notice))));
        });
    }

    /**
     * Credits arrived (a top-up or a grant): if the open draft is a kept order the balance now covers, its card is
     * offered again, one press from starting. What to show, if anything.
     */
    public Uni<Optional<Shown>> offerKept(SqlConnection tx, long userId, long chatId, long balance, Language locale) {
        return conversations.lock(tx, userId, chatId, locale).chain(state -> {
            if (!state.kept()
                    || state.step() != Step.AWAIT_CONFIRM
                    || state.draft() == null
                    || !state.draft().complete()) {
                return Uni.createFrom().item(Optional.<Shown>empty());
            }
            Reply.ConfirmCard card = conversation.card(state.draft());
            if (balance < card.cost()) {
                return Uni.createFrom().item(Optional.<Shown>empty());
            }
            return conversations
                    .save(tx, state.offered())
                    .replaceWith(Optional.of(new Shown(
                            state.userId(),
                            state.chatId(),
                            state.language(),
                            List.of(Reply.Message.of("order.offer_again"), card))));
        });
    }
}
