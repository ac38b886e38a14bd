package com.neurocards.gateway.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.admin.AdminCommands;
import com.neurocards.gateway.conversation.ConversationService;
import com.neurocards.gateway.conversation.Outcome;
import com.neurocards.gateway.payment.PaymentService;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.messaging.observe.JobContext;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.MessageBundle;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * Handles one Telegram update, however it arrived (long polling or webhook), in two steps: {@link #apply} sorts it and
 * commits its effects (throwing when it could not: the update must then come again), and the {@link Replies} it
 * returns make the Telegram calls that follow. A pressed button is always answered, whatever happened. Messages and
 * presses beyond a user's flood limit are not applied at all.
 */
@ApplicationScoped
public class UpdateDispatcher {

    private static final Logger LOG = Logger.getLogger(UpdateDispatcher.class);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LANGUAGE_LOOKUP = Duration.ofSeconds(1);

    private final UpdateReader reader;
    private final ConversationService conversations;
    private final PaymentService payments;
    private final AdminCommands admin;
    private final ReplyRenderer renderer;
    private final DocumentImages documents;
    private final BotSender sender;
    private final MessageBundle texts;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final FloodGuard flood;
    private final ConversationRepository languages;
    private final Pool pool;
    private final ObjectMapper json;

    public UpdateDispatcher(
            UpdateReader reader,
            ConversationService conversations,
            PaymentService payments,
            AdminCommands admin,
            ReplyRenderer renderer,
            DocumentImages documents,
            BotSender sender,
            MessageBundle texts,
            MeterRegistry registry,
            Tracer tracer,
            FloodGuard flood,
            ConversationRepository languages,
            Pool pool,
            ObjectMapper json) {
        this.reader = reader;
        this.conversations = conversations;
        this.payments = payments;
        this.admin = admin;
        this.renderer = renderer;
        this.documents = documents;
        this.sender = sender;
        this.texts = texts;
        this.registry = registry;
        this.tracer = tracer;
        this.flood = flood;
        this.languages = languages;
        this.pool = pool;
        this.json = json;
    }

    /** Applies the update and sends its replies at once (webhook mode: the call waits for both). */
    public void handle(Update update) {
        apply(update).send().await().indefinitely();
    }

    /**
     * Commits the update's effects and returns the replies still to send. Throws only when the effects could not be
     * committed (the database is down, or a bug): the caller must then not confirm the update to Telegram, so it
     * comes again.
     */
    public Replies apply(Update update) {
        // One span per update (a child of the webhook call's, if any): a Confirm's generation.requested carries it in
        // its traceparent header, and the whole request becomes one trace across the services.
        Span span = tracer.spanBuilder("telegram update")
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("telegram.update_id", (long) update.getUpdateId())
                .startSpan();
        try (JobContext.Restorer ignored = JobContext.open(Context.current().with(span), null, null)) {
            return dispatch(update);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Gives up an update that keeps failing on a bug: a payment or refund in it is kept as Telegram sent it and the
     * admins are told (throws when it could not be kept: then it must not be given up); anything else is logged.
     */
    public Replies giveUp(Update update, RuntimeException failure) {
        String why = Redaction.describe(failure);
        Message message = update.getMessage();
        if (message != null && (message.hasSuccessfulPayment() || message.getRefundedPayment() != null)) {
            Long userId = message.getFrom() == null ? null : message.getFrom().getId();
            String chargeId;
            Integer amount;
            String currency;
            if (message.hasSuccessfulPayment()) {
                chargeId = message.getSuccessfulPayment().getTelegramPaymentChargeId();
                amount = message.getSuccessfulPayment().getTotalAmount();
                currency = message.getSuccessfulPayment().getCurrency();
            } else {
                chargeId = message.getRefundedPayment().getTelegramPaymentChargeId();
                amount = message.getRefundedPayment().getTotalAmount();
                currency = message.getRefundedPayment().getCurrency();
            }
            return payments.unprocessable(
                    update.getUpdateId(),
                    userId,
                    chargeId,
                    amount == null ? 0 : amount,
                    currency,
                    why,
                    raw(update).get());
        }
        LOG.errorf("Gave up update %d, which keeps failing: %s", update.getUpdateId(), why);
        return Replies.NONE;
    }

    private Replies dispatch(Update update) {
        Incoming incoming = reader.read(update);
        registry.counter(
                        "neurocards.gateway.updates",
                        "kind",
                        incoming.getClass().getSimpleName())
                .increment();
        if (incoming instanceof Incoming.ForConversation input) {
            FloodGuard.Verdict verdict = flood.check(input.userId());
            if (verdict != FloodGuard.Verdict.ALLOW) {
                return limited(input, verdict);
            }
            return conversation(documents.checked(input));
        } else if (incoming instanceof Incoming.PreCheckout preCheckout) {
            // The answer is the effect itself, and Telegram waits for it only 10 s: sent now.
            payments.answerPreCheckout(preCheckout.query());
        } else if (incoming instanceof Incoming.Paid paid) {
            return payments.paid(paid.updateId(), paid.userId(), paid.chatId(), paid.payment(), raw(update));
        } else if (incoming instanceof Incoming.Refunded refunded) {
            return payments.refunded(
                    refunded.updateId(), refunded.userId(), refunded.chatId(), refunded.refund(), raw(update));
        } else if (incoming instanceof Incoming.Admin command) {
            admin.handle(command.updateId(), command.userId(), command.chatId(), command.command());
        } else if (incoming instanceof Incoming.Ignored ignored && ignored.callbackQueryId() != null) {
            String queryId = ignored.callbackQueryId();
            return () -> answer(queryId, null);
        }
        return Replies.NONE;
    }

    private Replies conversation(Incoming.ForConversation input) {
        Optional<Outcome> outcome;
        try {
            outcome = conversations
                    .apply(input.updateId(), input.userId(), input.chatId(), input.appLanguage(), input.input())
                    .await()
                    .atMost(TRANSACTION_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.errorf("Update %d of user %d failed: %s", input.updateId(), input.userId(), Redaction.describe(e));
            if (input.callbackQueryId() != null) {
                // Stop the button's spinner now; the press is applied when the update comes again.
                answer(input.callbackQueryId(), null).await().indefinitely();
            }
            throw e;
        }
        if (outcome.isEmpty()) {
            return input.callbackQueryId() == null ? Replies.NONE : () -> answer(input.callbackQueryId(), null);
        }
        Outcome done = outcome.get();
        Language lang = done.state().language();
        if (done.request() != null) {
            LOG.infof(
                    "User %d confirmed request %s (%d videos)",
                    input.userId(), done.request().requestId(), done.request().count());
        }
        return () -> {
            // Answer first: the spinner on the button stops at once, the replies may take a moment.
            Uni<Void> answered = Uni.createFrom().voidItem();
            if (input.callbackQueryId() != null) {
                String key = done.callbackAnswerKey();
                answered = answer(input.callbackQueryId(), key == null || key.isEmpty() ? null : texts.get(lang, key));
            }
            return answered.chain(() -> renderer.render(input.userId(), input.chatId(), lang, done.replies()));
        };
    }

    /** A message or press past the user's flood limit: not applied; the first one gets a notice, the rest silence. */
    private Replies limited(Incoming.ForConversation input, FloodGuard.Verdict verdict) {
        registry.counter("neurocards.gateway.updates.limited").increment();
        if (verdict == FloodGuard.Verdict.NOTICE) {
            LOG.infof("User %d is over the flood limit; ignoring their messages until it clears", input.userId());
        } else if (input.callbackQueryId() == null) {
            return Replies.NONE;
        }
        return () -> {
            Uni<Void> answered = input.callbackQueryId() == null
                    ? Uni.createFrom().voidItem()
                    : answer(input.callbackQueryId(), null);
            if (verdict != FloodGuard.Verdict.NOTICE) {
                return answered;
            }
            return answered.chain(() -> languageOf(input.userId(), input.appLanguage()))
                    .chain(lang -> renderer.say(input.chatId(), texts.get(lang, "flood.notice"), null));
        };
    }

    private Supplier<String> raw(Update update) {
        return () -> {
            try {
                return json.writeValueAsString(update);
            } catch (JsonProcessingException e) {
                return "{\"update_id\":" + update.getUpdateId() + ",\"unserializable\":true}";
            }
        };
    }

    /** The user's stored language; {@code appLanguage} for a user the bot has not talked to yet. */
    private Uni<Language> languageOf(long userId, Language appLanguage) {
        return languages
                .language(pool, userId, appLanguage)
                .ifNoItem()
                .after(LANGUAGE_LOOKUP)
                .fail()
                .onFailure()
                .recoverWithItem(appLanguage);
    }

    /** Answers a pressed button (stops its spinner, with a toast when {@code text} is set); never fails. */
    private Uni<Void> answer(String callbackQueryId, String text) {
        AnswerCallbackQuery.AnswerCallbackQueryBuilder<?, ?> answer =
                AnswerCallbackQuery.builder().callbackQueryId(callbackQueryId);
        if (text != null) {
            answer.text(text);
        }
        AnswerCallbackQuery built = answer.build();
        return sender.trySend("answerCallbackQuery", client -> client.execute(built))
                .replaceWithVoid();
    }
}
