package com.neurocards.gateway.payment;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.repository.PaymentRepository;
import com.neurocards.gateway.repository.UpdateLog;
import com.neurocards.gateway.telegram.ReplyRenderer;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.MessageBundle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.AnswerPreCheckoutQuery;
import org.telegram.telegrambots.meta.api.objects.payments.PreCheckoutQuery;
import org.telegram.telegrambots.meta.api.objects.payments.SuccessfulPayment;

/**
 * Telegram Stars payments: pre-checkout is answered at once (Telegram cancels after 10 s) after checking the
 * invoice still matches a pack on sale; a successful payment becomes {@code payment.received} through the outbox,
 * once per charge id, whatever number of times Telegram reports it.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);
    private static final Duration LANGUAGE_LOOKUP = Duration.ofSeconds(1);

    private final CreditPacks packs;
    private final BotSender sender;
    private final MessageBundle texts;
    private final Transactions transactions;
    private final UpdateLog updates;
    private final PaymentRepository payments;
    private final ConversationRepository conversations;
    private final Outbox outbox;
    private final ReplyRenderer renderer;
    private final Pool pool;

    public PaymentService(
            CreditPacks packs,
            BotSender sender,
            MessageBundle texts,
            Transactions transactions,
            UpdateLog updates,
            PaymentRepository payments,
            ConversationRepository conversations,
            Outbox outbox,
            ReplyRenderer renderer,
            Pool pool) {
        this.packs = packs;
        this.sender = sender;
        this.texts = texts;
        this.transactions = transactions;
        this.updates = updates;
        this.payments = payments;
        this.conversations = conversations;
        this.outbox = outbox;
        this.renderer = renderer;
        this.pool = pool;
    }

    public void answerPreCheckout(PreCheckoutQuery query) {
        Optional<CreditPack> pack = packs.matching(
                query.getInvoicePayload(),
                query.getCurrency(),
                query.getTotalAmount() == null ? -1 : query.getTotalAmount());
        AnswerPreCheckoutQuery answer;
        if (pack.isPresent()) {
            answer = AnswerPreCheckoutQuery.builder()
                    .preCheckoutQueryId(query.getId())
                    .ok(true)
                    .build();
        } else {
            LOG.infof(
                    "Declined a pre-checkout of user %d: the invoice matches no pack on sale",
                    query.getFrom().getId());
            answer = AnswerPreCheckoutQuery.builder()
                    .preCheckoutQueryId(query.getId())
                    .ok(false)
                    .errorMessage(texts.get(languageOf(query.getFrom().getId()), "precheckout.invalid"))
                    .build();
        }
        sender.trySend("answerPreCheckoutQuery", client -> client.execute(answer))
                .await()
                .indefinitely();
    }

    public void paid(long updateId, long userId, long chatId, SuccessfulPayment payment) {
        String chargeId = payment.getTelegramPaymentChargeId();
        Optional<CreditPack> pack = CreditPacks.fromPayload(payment.getInvoicePayload());
        if (chargeId == null
                || chargeId.isBlank()
                || pack.isEmpty()
                || !CreditPacks.CURRENCY.equals(payment.getCurrency())) {
            // Telegram took the money for an invoice we cannot read: an operator must look (and refund if needed).
            LOG.errorf(
                    "Successful payment of user %d with an unreadable invoice (charge %s); nothing credited",
                    userId, chargeId);
            return;
        }
        CreditPack bought = pack.get();
        long stars = payment.getTotalAmount() == null ? bought.stars() : payment.getTotalAmount();
        Optional<Language> credited = transactions
                .inTransaction(tx -> updates.claim(tx, updateId, userId)
                        .chain(fresh -> !fresh
                                ? Uni.createFrom().item(Optional.<Language>empty())
                                : payments.record(tx, chargeId, userId, bought.id(), stars, bought.credits())
                                        .chain(isNew -> !isNew
                                                ? Uni.createFrom().item(Optional.<Language>empty())
                                                : conversations
                                                        .language(tx, userId)
                                                        .call(language -> outbox.publish(
                                                                tx,
                                                                Envelope.of(new PaymentReceived(
                                                                        chargeId,
                                                                        userId,
                                                                        chatId,
                                                                        language,
                                                                        bought.id(),
                                                                        stars,
                                                                        bought.credits()))))
                                                        .map(Optional::of))))
                .await()
                .atMost(Duration.ofSeconds(30));
        if (credited.isPresent()) {
            LOG.infof("Payment of user %d for pack %s (%d credits) recorded", userId, bought.id(), bought.credits());
            renderer.text(chatId, texts.get(credited.get(), "payment.thanks", bought.credits()), null);
        } else {
            LOG.infof("Payment charge of user %d reported again; already credited", userId);
        }
    }

    private Language languageOf(long userId) {
        try {
            return conversations.language(pool, userId).await().atMost(LANGUAGE_LOOKUP);
        } catch (RuntimeException e) {
            return Language.DEFAULT;
        }
    }
}
