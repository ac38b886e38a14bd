package com.neurocards.gateway.payment;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.gateway.admin.AdminAlerts;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.repository.PaymentIssueRepository;
import com.neurocards.gateway.repository.PaymentIssueRepository.Kind;
import com.neurocards.gateway.repository.PaymentRepository;
import com.neurocards.gateway.repository.UpdateLog;
import com.neurocards.gateway.telegram.Replies;
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
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.AnswerPreCheckoutQuery;
import org.telegram.telegrambots.meta.api.objects.payments.PreCheckoutQuery;
import org.telegram.telegrambots.meta.api.objects.payments.RefundedPayment;
import org.telegram.telegrambots.meta.api.objects.payments.SuccessfulPayment;

/**
 * Telegram Stars payments: pre-checkout is answered at once (Telegram cancels after 10 s) after checking the
 * invoice still matches a pack on sale; a successful payment whose amount and currency match its pack becomes
 * {@code payment.received} through the outbox, once per charge id, whatever number of times Telegram reports it; one
 * that does not match is credited with nothing and kept for an admin; a refunded payment becomes
 * {@code payment.refunded} (billing takes the credits back). Each method commits its effects before returning and
 * throws when it could not (the update then comes again); the replies are left to the caller to send.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);
    private static final Duration LANGUAGE_LOOKUP = Duration.ofSeconds(1);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    private final CreditPacks packs;
    private final BotSender sender;
    private final MessageBundle texts;
    private final Transactions transactions;
    private final UpdateLog updates;
    private final PaymentRepository payments;
    private final PaymentIssueRepository issues;
    private final ConversationRepository conversations;
    private final Outbox outbox;
    private final ReplyRenderer renderer;
    private final AdminAlerts admins;
    private final Pool pool;

    public PaymentService(
            CreditPacks packs,
            BotSender sender,
            MessageBundle texts,
            Transactions transactions,
            UpdateLog updates,
            PaymentRepository payments,
            PaymentIssueRepository issues,
            ConversationRepository conversations,
            Outbox outbox,
            ReplyRenderer renderer,
            AdminAlerts admins,
            Pool pool) {
        this.packs = packs;
        this.sender = sender;
        this.texts = texts;
        this.transactions = transactions;
        this.updates = updates;
        this.payments = payments;
        this.issues = issues;
        this.conversations = conversations;
        this.outbox = outbox;
        this.renderer = renderer;
        this.admins = admins;
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

    /**
     * Credits a successful payment once per charge, if what was paid (amount and currency) matches a pack on sale;
     * otherwise nothing is credited, the payment is kept as Telegram sent it and the admins are told.
     */
    public Replies paid(long updateId, long userId, long chatId, SuccessfulPayment payment, Supplier<String> raw) {
        String chargeId = payment.getTelegramPaymentChargeId();
        long total = payment.getTotalAmount() == null ? -1 : payment.getTotalAmount();
        if (chargeId == null
                || chargeId.isBlank()
                || CreditPacks.fromPayload(payment.getInvoicePayload()).isEmpty()) {
            return issue(
                    updateId,
                    userId,
                    chatId,
                    chargeId,
                    Kind.UNREADABLE_INVOICE,
                    "no charge id or an invoice payload that names no pack",
                    total,
                    payment.getCurrency(),
                    raw);
        }
        Optional<CreditPack> pack = packs.matching(payment.getInvoicePayload(), payment.getCurrency(), total);
        if (pack.isEmpty()) {
            // Pre-checkout accepted only a matching amount, so this is a forged or altered payment, or the pack changed
            // in between: a person decides.
            return issue(
                    updateId,
                    userId,
                    chatId,
                    chargeId,
                    Kind.AMOUNT_MISMATCH,
                    "paid " + total + " " + payment.getCurrency() + " for invoice " + payment.getInvoicePayload()
                            + ", which matches no pack on sale",
                    total,
                    payment.getCurrency(),
                    raw);
        }
        CreditPack bought = pack.get();
        Optional<Language> credited = transactions
                .inTransaction(tx -> updates.claim(tx, updateId, userId)
                        .chain(fresh -> !fresh
                                ? Uni.createFrom().item(Optional.<Language>empty())
                                : payments.record(tx, chargeId, userId, bought.id(), total, bought.credits())
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
                                                                        total,
                                                                        bought.credits()))))
                                                        .map(Optional::of))))
                .await()
                .atMost(TRANSACTION_TIMEOUT);
        if (credited.isEmpty()) {
            LOG.infof("Payment charge of user %d reported again; already credited", userId);
            return Replies.NONE;
        }
        LOG.infof("Payment of user %d for pack %s (%d credits) recorded", userId, bought.id(), bought.credits());
        return () -> renderer.say(chatId, texts.get(credited.get(), "payment.thanks", bought.credits()), null);
    }

    /**
     * Telegram refunded a payment: once per charge, {@code payment.refunded} asks billing to take its credits back
     * (never below zero) and the user is told; a refund of a charge this gateway never recorded is kept for an admin.
     */
    public Replies refunded(long updateId, long userId, long chatId, RefundedPayment refund, Supplier<String> raw) {
        String chargeId = refund.getTelegramPaymentChargeId();
        long stars = refund.getTotalAmount() == null ? 0 : refund.getTotalAmount();
        String rawUpdate = raw.get();
        record Outcome(Optional<PaymentRepository.Recorded> refunded, boolean unmatched, Language language) {}
        Outcome outcome = transactions
                .inTransaction(tx -> updates.claim(tx, updateId, userId).chain(fresh -> {
                    if (!fresh) {
                        return Uni.createFrom().item(new Outcome(Optional.empty(), false, Language.DEFAULT));
                    }
                    return conversations.language(tx, userId).chain(language -> (chargeId == null
                                    ? Uni.createFrom().item(Optional.<PaymentRepository.Recorded>empty())
                                    : payments.markRefunded(tx, chargeId, userId))
                            .chain(marked -> {
                                if (marked.isPresent()) {
                                    return outbox.publish(
                                                    tx,
                                                    Envelope.of(new PaymentRefunded(
                                                            chargeId,
                                                            userId,
                                                            chatId,
                                                            language,
                                                            marked.get().packId(),
                                                            stars,
                                                            marked.get().credits())))
                                            .replaceWith(new Outcome(marked, false, language));
                                }
                                Uni<Boolean> known = chargeId == null
                                        ? Uni.createFrom().item(false)
                                        : payments.exists(tx, chargeId, userId);
                                return known.chain(isKnown -> isKnown
                                        // Refunded before: Telegram reported it again.
                                        ? Uni.createFrom().item(new Outcome(Optional.empty(), false, language))
                                        : issues.record(
                                                        tx,
                                                        updates.botId(),
                                                        updateId,
                                                        Kind.REFUND_UNMATCHED,
                                                        userId,
                                                        chargeId,
                                                        "Telegram refunded a charge this bot never recorded for the user",
                                                        rawUpdate)
                                                .replaceWith(new Outcome(Optional.empty(), true, language)));
                            }));
                }))
                .await()
                .atMost(TRANSACTION_TIMEOUT);
        if (outcome.refunded().isPresent()) {
            long credits = outcome.refunded().get().credits();
            LOG.infof("Telegram refunded a payment of user %d (%d credits to take back)", userId, credits);
            return () -> renderer.say(
                    chatId,
                    texts.get(
                            outcome.language(),
                            "payment.refunded",
                            stars,
                            credits,
                            renderer.supportContact(outcome.language())),
                    null);
        }
        if (outcome.unmatched()) {
            LOG.errorf(
                    "Telegram refunded charge %s of user %d, which this bot never recorded; kept for an admin",
                    chargeId, userId);
            return Replies.blocking(() -> admins.tell(
                    "admin.payment_issue",
                    Kind.REFUND_UNMATCHED.name(),
                    userId,
                    chargeId,
                    stars,
                    refund.getCurrency()));
        }
        LOG.infof("Refund of a charge of user %d reported again; already handled", userId);
        return Replies.NONE;
    }

    /**
     * Keeps a payment or refund that handling kept failing on (a bug), as Telegram sent it, and tells the admins: the
     * money moved and the credits did not. Throws when it could not be kept (the update must then not be skipped).
     */
    public Replies unprocessable(
            long updateId, Long userId, String chargeId, long amount, String currency, String why, String raw) {
        // Only printable text: what made the update fail may well be a character the database refuses (the raw update
        // is JSON, where such characters are escaped).
        String charge = printable(chargeId);
        boolean recorded = issues.record(
                        pool, updates.botId(), updateId, Kind.UNPROCESSABLE, userId, charge, printable(why), raw)
                .await()
                .atMost(TRANSACTION_TIMEOUT);
        if (!recorded) {
            return Replies.NONE;
        }
        LOG.errorf("Kept unprocessable payment update %d of user %s for an admin: %s", updateId, userId, why);
        return Replies.blocking(() -> admins.tell(
                "admin.payment_issue", Kind.UNPROCESSABLE.name(), userId, charge, amount, printable(currency)));
    }

    /** Records the issue with the update's claim; the admins are told and, if {@code chatId} is set, the payer. */
    private Replies issue(
            long updateId,
            long userId,
            Long chatId,
            String chargeId,
            Kind kind,
            String detail,
            long amount,
            String currency,
            Supplier<String> raw) {
        String rawUpdate = raw.get();
        boolean fresh = transactions
                .inTransaction(tx -> updates.claim(tx, updateId, userId)
                        .call(claimed -> claimed
                                ? issues.record(
                                        tx, updates.botId(), updateId, kind, userId, chargeId, detail, rawUpdate)
                                : Uni.createFrom().voidItem()))
                .await()
                .atMost(TRANSACTION_TIMEOUT);
        if (!fresh) {
            return Replies.NONE;
        }
        LOG.errorf(
                "Payment of user %d needs an admin (%s, charge %s): %s; nothing credited",
                userId, kind, chargeId, detail);
        Replies tellAdmins = Replies.blocking(
                () -> admins.tell("admin.payment_issue", kind.name(), userId, chargeId, amount, currency));
        if (chatId == null) {
            return tellAdmins;
        }
        return tellAdmins.then(Replies.blocking(() -> {
            Language lang = languageOf(userId);
            renderer.text(chatId, texts.get(lang, "payment.review", amount, renderer.supportContact(lang)), null);
        }));
    }

    private static String printable(String text) {
        return text == null ? null : text.replaceAll("\\p{Cntrl}", "?");
    }

    private Language languageOf(long userId) {
        try {
            return conversations.language(pool, userId).await().atMost(LANGUAGE_LOOKUP);
        } catch (RuntimeException e) {
            return Language.DEFAULT;
        }
    }
}
