package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.VideoSubmitted;
import com.neurocards.messaging.KeyedLanes;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.pipeline.bot.Keyboards;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.notify.NoticesTold;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.SupportContact;
import com.neurocards.telegram.TelegramFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * The notify queue: one progress message per funded request, edited in place as its jobs move
 * ({@link ProgressNotifier} renders it from the job states); one message per rejection, per refunded job, per top-up.
 * A refunded job that has not ended (billing's refund backstop) is marked failed first, so no stage delivers it.
 * Each event is handled once ({@code processOnce}); Telegram is called inside that transaction, so a failed send is
 * retried and a committed one is never repeated by a redelivery; a notice sent by a try whose transaction then failed
 * (its connection dropped) or whose process died is recorded apart the moment Telegram answers ({@link NoticesTold}),
 * so the retry does not send it again.
 *
 * <p>The progress message is the seller's confirmation card when {@code generation.requested} names it: its id is
 * recorded for the request before anything is shown, and every state is an edit of its caption, which a redelivery
 * after a crash can only repeat, never double. Without a card (older events) the message is sent when first shown and
 * its id recorded in the same transaction: a crash between the two would send a second one.
 */
@ApplicationScoped
public class NotifyStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(NotifyStage.class);

    private final BotSender bot;
    private final ProgressCard card;
    private final JobRepository jobs;
    private final Transactions transactions;
    private final JobEvents jobEvents;
    /** Named in the texts of failures on our side (SUPPORT_CONTACT). */
    private final SupportContact support;

    private final NoticesTold told;
    private final int prefetch;
    /** Each chat's events, one transaction at a time ({@link #handle}). */
    private final KeyedLanes<Long> chats = new KeyedLanes<>();

    public NotifyStage(
            BotSender bot,
            ProgressCard card,
            JobRepository jobs,
            Transactions transactions,
            JobEvents jobEvents,
            SupportContact support,
            NoticesTold told,
            PipelineConfig config) {
        this.prefetch = config.progress().prefetch();
        this.support = support;
        this.told = told;
        this.bot = bot;
        this.card = card;
        this.jobs = jobs;
        this.transactions = transactions;
        this.jobEvents = jobEvents;
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_NOTIFY;
    }

    @Override
    public int prefetch() {
        return prefetch;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        Event event = delivery.envelope().payload();
        Long chat = chatOf(event);
        if (chat == null) {
            return tell(delivery, event);
        }
        // One transaction per chat at a time: the chat's sends are a second apart anyway, and a second transaction
        // of the same chat would wait for the first's progress row and the chat's turn holding a pooled connection.
        // And the chat's turn is waited for before the transaction, not inside it holding a connection.
        return chats.run(chat, () -> bot.untilFree(chat).chain(() -> tell(delivery, event)));
    }

    /** The chat an event is told in; null when it is told nowhere. */
    private static Long chatOf(Event event) {
        if (event instanceof GenerationFunded funded) {
            return funded.request().chatId();
        }
        if (event instanceof GenerationRejected rejected) {
            return rejected.chatId();
        }
        if (event instanceof CreditsAdded added) {
            return added.chatId();
        }
        JobRef job = null;
        if (event instanceof VideoSubmitted submitted) {
            job = submitted.job();
        } else if (event instanceof GenerationRetrying retrying) {
            job = retrying.job();
        } else if (event instanceof GenerationDelivered delivered) {
            job = delivered.job();
        } else if (event instanceof GenerationFailed failed) {
            job = failed.job();
        } else if (event instanceof CreditsRefunded refunded) {
            job = refunded.job();
        }
        return job == null ? null : job.chatId();
    }

    private Uni<Void> tell(Delivery delivery, Event event) {
        return transactions
                .processOnce(delivery, tx -> {
                    if (event instanceof GenerationFunded f) {
                        return card.refresh(
                                tx,
                                f.request().requestId(),
                                f.request().chatId(),
                                f.request().locale(),
                                f.request().count(),
                                f.request().progressMessageId(),
                                false,
                                false);
                    }
                    if (event instanceof VideoSubmitted s) {
                        return refresh(tx, s.job(), false);
                    }
                    if (event instanceof GenerationRetrying r) {
                        // BILLING: the job waits for a KIE top-up (SubmitStage), not a retry of a failure
                        return card.refresh(
                                tx,
                                r.job().requestId(),
                                r.job().chatId(),
                                r.job().locale(),
                                r.job().total(),
                                null,
                                true,
                                r.errorClass() == ErrorClass.BILLING);
                    }
                    if (event instanceof GenerationDelivered d) {
                        return refresh(tx, d.job(), false);
                    }
                    if (event instanceof GenerationFailed f) {
                        return refresh(tx, f.job(), false);
                    }
                    if (event instanceof CreditsRefunded r) {
                        return jobEvents
                                .refunded(tx, r)
                                .chain(() -> jobs.markRefunded(tx, r.job().jobId()))
                                // its line on the progress message: failed, credits returned
                                .chain(() -> card.refreshIfShown(tx, r.job().requestId()))
                                .chain(() -> sayOnce(
                                        tx,
                                        delivery,
                                        r.job().chatId(),
                                        ProgressNotifier.failure(
                                                r.job().locale(),
                                                r.job().index(),
                                                r.job().total(),
                                                r.errorClass(),
                                                r.amount(),
                                                r.balanceAfter(),
                                                support.contact()),
                                        Keyboards.menu(r.job().locale())));
                    }
                    if (event instanceof GenerationRejected r) {
                        return sayOnce(
                                tx,
                                delivery,
                                r.chatId(),
                                ProgressNotifier.TEXTS.get(r.locale(), "rejected", r.needed(), r.balance()),
                                Keyboards.buyCredits(r.locale()));
                    }
                    if (event instanceof CreditsAdded a) {
                        return sayOnce(
                                tx,
                                delivery,
                                a.chatId(),
                                ProgressNotifier.TEXTS.get(a.locale(), "credits.added", a.amount(), a.balanceAfter()),
                                null);
                    }
                    LOG.debugf("Nothing to tell about %s", delivery.envelope().type());
                    return Uni.createFrom().voidItem();
                })
                .replaceWithVoid();
    }

    private Uni<Void> refresh(SqlConnection tx, JobRef job, boolean retrying) {
        return card.refresh(
                tx, job.requestId(), job.chatId(), job.locale(), job.total(), job.progressMessageId(), retrying, false);
    }

    /**
     * The event's one notice, unless it was sent already ({@link NoticesTold}: by an earlier try whose transaction did
     * not commit); recorded the moment Telegram answers.
     */
    private Uni<Void> sayOnce(
            SqlConnection tx, Delivery delivery, long chatId, String text, InlineKeyboardMarkup keyboard) {
        UUID eventId = delivery.envelope().id();
        return told.told(tx, eventId).chain(already -> {
            if (already) {
                LOG.infof(
                        "The notice of %s %s reached the chat on an earlier try; not sending it again",
                        delivery.envelope().type(), eventId);
                return Uni.createFrom().voidItem();
            }
            return say(chatId, text, keyboard, messageId -> told.record(eventId, messageId));
        });
    }

    private Uni<Void> say(long chatId, String text, InlineKeyboardMarkup keyboard, Function<Long, Uni<Void>> whenSent) {
        return send(chatId, text, keyboard)
                .call(messageId -> whenSent.apply(messageId))
                .replaceWithVoid()
                .onFailure(TelegramFailure.class)
                .recoverWithUni(failure -> ((TelegramFailure) failure).blocked()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(Failures.telegram((TelegramFailure) failure)));
    }

    private Uni<Long> send(long chatId, String text, InlineKeyboardMarkup keyboard) {
        return bot.send(
                        chatId,
                        "sendMessage",
                        client -> client.execute(SendMessage.builder()
                                .chatId(String.valueOf(chatId))
                                .text(text)
                                .replyMarkup(keyboard)
                                .build()))
                .map(sent -> sent.getMessageId().longValue());
    }
}
