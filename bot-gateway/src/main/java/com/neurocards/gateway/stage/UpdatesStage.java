package com.neurocards.gateway.stage;

import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.gateway.conversation.ConversationService;
import com.neurocards.gateway.conversation.ConversationService.Shown;
import com.neurocards.gateway.repository.BalanceRepository;
import com.neurocards.gateway.repository.GenerationRepository;
import com.neurocards.gateway.telegram.ReplyRenderer;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps the gateway's view of what happened after Confirm ({@code gateway.updates}): request and job states for
 * "My videos", the Telegram file id of each delivered video (to send it again without re-rendering), and the last
 * balance billing reported (the menu's fallback when billing is slow). An order billing rejected for credits is kept
 * as the seller's open draft, and credits that arrive later offer its card again (docs/architecture.md). Idempotent
 * per message; what it shows the seller is sent after its transaction commits, once.
 */
@ApplicationScoped
public class UpdatesStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(UpdatesStage.class);

    private final Transactions transactions;
    private final GenerationRepository generations;
    private final BalanceRepository balances;
    private final ConversationService conversations;
    private final ReplyRenderer renderer;

    public UpdatesStage(
            Transactions transactions,
            GenerationRepository generations,
            BalanceRepository balances,
            ConversationService conversations,
            ReplyRenderer renderer) {
        this.transactions = transactions;
        this.generations = generations;
        this.balances = balances;
        this.conversations = conversations;
        this.renderer = renderer;
    }

    @Override
    public QueueName queue() {
        return QueueName.GATEWAY_UPDATES;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        Event event = delivery.envelope().payload();
        OffsetDateTime at = delivery.envelope().occurredAt().atOffset(ZoneOffset.UTC);
        AtomicReference<Shown> shown = new AtomicReference<>();
        return transactions
                .processOnce(delivery, tx -> apply(tx, event, at, shown))
                .invoke(fresh -> {
                    if (fresh && shown.get() != null) {
                        show(shown.get());
                    }
                })
                .replaceWithVoid();
    }

    /** Sends what the seller should see, without holding up the queue. */
    private void show(Shown shown) {
        renderer.render(shown.userId(), shown.chatId(), shown.language(), shown.replies())
                .subscribe()
                .with(
                        ignored -> {},
                        failure -> LOG.warnf(
                                "Could not show user %d a kept order: %s",
                                shown.userId(), Redaction.describe(failure)));
    }

    private Uni<Void> apply(SqlConnection tx, Event event, OffsetDateTime at, AtomicReference<Shown> shown) {
        if (event instanceof GenerationFunded funded) {
            return generations
                    .funded(tx, funded.request(), funded.jobIds())
                    .chain(() -> balances.remember(tx, funded.request().userId(), funded.balanceAfter(), at));
        }
        if (event instanceof GenerationRejected rejected) {
            return generations
                    .rejected(tx, rejected.requestId())
                    .chain(order -> order.isPresent() && rejected.reason() == RejectionReason.INSUFFICIENT_CREDITS
                            ? conversations.keepRejected(tx, order.get(), rejected.locale())
                            : Uni.createFrom().item(Optional.<Shown>empty()))
                    .invoke(kept -> kept.ifPresent(shown::set))
                    .chain(() -> balances.remember(tx, rejected.userId(), rejected.balance(), at));
        }
        if (event instanceof GenerationDelivered delivered) {
            JobRef job = delivered.job();
            return generations.delivered(
                    tx,
                    job.jobId(),
                    job.requestId(),
                    job.userId(),
                    job.index(),
                    delivered.telegramFileId(),
                    delivered.mode() == null ? null : delivered.mode().name());
        }
        if (event instanceof GenerationFailed failed) {
            JobRef job = failed.job();
            return generations.failed(
                    tx,
                    job.jobId(),
                    job.requestId(),
                    job.userId(),
                    job.index(),
                    failed.errorClass() == null ? null : failed.errorClass().name());
        }
        if (event instanceof CreditsRefunded refunded) {
            JobRef job = refunded.job();
            return generations
                    .refunded(
                            tx,
                            job.jobId(),
                            job.requestId(),
                            job.userId(),
                            job.index(),
                            refunded.errorClass() == null
                                    ? null
                                    : refunded.errorClass().name())
                    .chain(() -> balances.remember(tx, job.userId(), refunded.balanceAfter(), at));
        }
        if (event instanceof CreditsAdded added) {
            return balances.remember(tx, added.userId(), added.balanceAfter(), at)
                    .chain(() -> conversations.offerKept(
                            tx, added.userId(), added.chatId(), added.balanceAfter(), added.locale()))
                    .invoke(offer -> offer.ifPresent(shown::set))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
