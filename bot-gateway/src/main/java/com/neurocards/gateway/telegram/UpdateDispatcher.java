package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.admin.AdminCommands;
import com.neurocards.gateway.conversation.ConversationService;
import com.neurocards.gateway.conversation.Outcome;
import com.neurocards.gateway.payment.PaymentService;
import com.neurocards.messaging.observe.JobContext;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.MessageBundle;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Handles one Telegram update, however it arrived (long polling or webhook): sorts it, applies it once, then
 * sends the replies. A pressed button is always answered, whatever happened.
 */
@ApplicationScoped
public class UpdateDispatcher {

    private static final Logger LOG = Logger.getLogger(UpdateDispatcher.class);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

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
            Tracer tracer) {
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
    }

    /**
     * Handles the update. Throws only when its effects could not be committed (the database is down): the caller
     * must then not confirm the update to Telegram, so it comes again.
     */
    public void handle(Update update) {
        // One span per update (a child of the webhook call's, if any): a Confirm's generation.requested carries it in
        // its traceparent header, and the whole request becomes one trace across the services.
        Span span = tracer.spanBuilder("telegram update")
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("telegram.update_id", (long) update.getUpdateId())
                .startSpan();
        try (JobContext.Restorer ignored = JobContext.open(Context.current().with(span), null, null)) {
            dispatch(update);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private void dispatch(Update update) {
        Incoming incoming = reader.read(update);
        registry.counter(
                        "neurocards.gateway.updates",
                        "kind",
                        incoming.getClass().getSimpleName())
                .increment();
        if (incoming instanceof Incoming.ForConversation input) {
            conversation(documents.checked(input));
        } else if (incoming instanceof Incoming.PreCheckout preCheckout) {
            payments.answerPreCheckout(preCheckout.query());
        } else if (incoming instanceof Incoming.Paid paid) {
            payments.paid(paid.updateId(), paid.userId(), paid.chatId(), paid.payment());
        } else if (incoming instanceof Incoming.Admin command) {
            admin.handle(command.updateId(), command.userId(), command.chatId(), command.command());
        } else if (incoming instanceof Incoming.Ignored ignored && ignored.callbackQueryId() != null) {
            answer(ignored.callbackQueryId(), null);
        }
    }

    private void conversation(Incoming.ForConversation input) {
        boolean answered = false;
        try {
            Optional<Outcome> outcome = conversations
                    .apply(input.updateId(), input.userId(), input.chatId(), input.input())
                    .await()
                    .atMost(TRANSACTION_TIMEOUT);
            if (outcome.isEmpty()) {
                LOG.debugf("Update %d was handled before", input.updateId());
                return;
            }
            Outcome done = outcome.get();
            Language lang = done.state().language();
            if (done.request() != null) {
                LOG.infof(
                        "User %d confirmed request %s (%d videos)",
                        input.userId(),
                        done.request().requestId(),
                        done.request().count());
            }
            if (input.callbackQueryId() != null) {
                // Answer first: the spinner on the button stops at once, the replies may take a moment.
                String key = done.callbackAnswerKey();
                answer(input.callbackQueryId(), key == null || key.isEmpty() ? null : texts.get(lang, key));
                answered = true;
            }
            renderer.render(input.userId(), input.chatId(), lang, done.replies());
        } catch (RuntimeException e) {
            LOG.errorf("Update %d of user %d failed: %s", input.updateId(), input.userId(), Redaction.describe(e));
            throw e;
        } finally {
            if (input.callbackQueryId() != null && !answered) {
                answer(input.callbackQueryId(), null);
            }
        }
    }

    private void answer(String callbackQueryId, String text) {
        AnswerCallbackQuery.AnswerCallbackQueryBuilder<?, ?> answer =
                AnswerCallbackQuery.builder().callbackQueryId(callbackQueryId);
        if (text != null) {
            answer.text(text);
        }
        AnswerCallbackQuery built = answer.build();
        sender.trySend("answerCallbackQuery", client -> client.execute(built))
                .await()
                .indefinitely();
    }
}
