package com.neurocards.billing.service;

import com.neurocards.billing.ledger.Entry;
import com.neurocards.billing.ledger.EntryKind;
import com.neurocards.billing.ledger.Ledger;
import com.neurocards.billing.ledger.Pricing;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.billing.Balance;
import com.neurocards.contracts.event.CreditSource;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.messaging.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Everything that moves credits. Each method runs inside the caller's transaction and writes the events announcing
 * its outcome to the outbox in that same transaction: the ledger and the events never disagree.
 */
@ApplicationScoped
public class CreditService {

    private static final Logger LOG = Logger.getLogger(CreditService.class);

    private final Ledger ledger;
    private final Pricing pricing;
    private final Outbox outbox;

    public CreditService(Ledger ledger, Pricing pricing, Outbox outbox) {
        this.ledger = ledger;
        this.pricing = pricing;
        this.outbox = outbox;
    }

    /** The outcome of a request: funded, rejected, or already decided before (a repeated request). */
    public enum Decision {
        FUNDED,
        REJECTED,
        ALREADY_DECIDED
    }

    /**
     * Debits a request once (key {@code debit:<requestId>}) and publishes {@code generation.funded}, or publishes
     * {@code generation.rejected} and debits nothing. The same request again changes nothing and publishes nothing.
     */
    public Uni<Decision> decide(SqlConnection tx, Envelope<GenerationRequested> event) {
        GenerationRequested request = event.payload();
        return ledger.openAndLock(tx, request.userId(), request.chatId(), code(request.locale()))
                .flatMap(balance -> tx.preparedQuery(
                                "SELECT outcome FROM billing.request_decision WHERE request_id = $1")
                        .execute(Tuple.of(request.requestId()))
                        .flatMap(previous -> {
                            if (previous.size() > 0) {
                                return ledger.recordIgnored(
                                                tx,
                                                event.id(),
                                                event.type(),
                                                request.requestId(),
                                                "request already "
                                                        + previous.iterator()
                                                                .next()
                                                                .getString("outcome"))
                                        .replaceWith(Decision.ALREADY_DECIDED);
                            }
                            OptionalLong price = pricing.priceOf(request.model(), request.count());
                            if (price.isEmpty()) {
                                return reject(tx, event, RejectionReason.INVALID_REQUEST, balance, 0);
                            }
                            return fund(tx, event, price.getAsLong(), balance);
                        }));
    }

    private Uni<Decision> fund(SqlConnection tx, Envelope<GenerationRequested> event, long price, long balance) {
        GenerationRequested request = event.payload();
        return ledger.apply(tx, Entry.debit(request.userId(), request.requestId(), price))
                .flatMap(balanceAfter -> {
                    if (balanceAfter == null) {
                        return reject(tx, event, RejectionReason.INSUFFICIENT_CREDITS, balance, price);
                    }
                    List<String> jobIds = new ArrayList<>();
                    for (int index = 1; index <= request.count(); index++) {
                        jobIds.add(JobRef.jobId(request.requestId(), index));
                    }
                    long perJob = price / request.count();
                    return saveDecision(tx, request, "FUNDED", price)
                            .flatMap(ignored -> tx.preparedQuery(
                                            "INSERT INTO billing.funded_job (job_id, request_id, user_id, price)"
                                                    + " VALUES ($1, $2, $3, $4)")
                                    .executeBatch(jobIds.stream()
                                            .map(jobId ->
                                                    Tuple.of(jobId, request.requestId(), request.userId(), perJob))
                                            .toList()))
                            .flatMap(ignored -> outbox.publish(
                                    tx,
                                    Envelope.causedBy(
                                            event, new GenerationFunded(request, jobIds, price, balanceAfter))))
                            .invoke(() -> LOG.infof(
                                    "Funded request %s: %d credit(s), balance %d",
                                    request.requestId(), price, balanceAfter))
                            .replaceWith(Decision.FUNDED);
                });
    }

    private Uni<Decision> reject(
            SqlConnection tx, Envelope<GenerationRequested> event, RejectionReason reason, long balance, long needed) {
        GenerationRequested request = event.payload();
        return saveDecision(tx, request, "REJECTED", needed)
                .flatMap(ignored -> outbox.publish(
                        tx,
                        Envelope.causedBy(
                                event,
                                new GenerationRejected(
                                        request.requestId(),
                                        request.userId(),
                                        request.chatId(),
                                        request.locale(),
                                        reason,
                                        balance,
                                        needed))))
                .invoke(() -> LOG.infof(
                        "Rejected request %s (%s): balance %d, needed %d",
                        request.requestId(), reason, balance, needed))
                .replaceWith(Decision.REJECTED);
    }

    private Uni<Void> saveDecision(SqlConnection tx, GenerationRequested request, String outcome, long amount) {
        return tx.preparedQuery(
                        "INSERT INTO billing.request_decision (request_id, user_id, outcome, amount) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(request.requestId(), request.userId(), outcome, amount))
                .replaceWithVoid();
    }

    /**
     * Refunds a failed job's price once (key {@code refund:<jobId>}) and publishes {@code credits.refunded}. A job
     * that was never funded, or is already refunded, changes nothing and is recorded as ignored. Returns whether it
     * refunded.
     */
    public Uni<Boolean> refund(SqlConnection tx, Envelope<GenerationFailed> event) {
        JobRef job = event.payload().job();
        return tx.preparedQuery(
                        "SELECT user_id, request_id, price, refunded_at FROM billing.funded_job WHERE job_id = $1 FOR UPDATE")
                .execute(Tuple.of(job.jobId()))
                .flatMap(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return ignore(tx, event, job.jobId(), "job was never funded");
                    }
                    Row funded = it.next();
                    if (funded.getValue("refunded_at") != null) {
                        return ignore(tx, event, job.jobId(), "job already refunded");
                    }
                    long userId = funded.getLong("user_id");
                    if (userId != job.userId()) {
                        return ignore(tx, event, job.jobId(), "job belongs to another user");
                    }
                    return refundJob(
                            tx,
                            event,
                            job,
                            funded.getString("request_id"),
                            userId,
                            funded.getLong("price"),
                            event.payload().errorClass());
                });
    }

    /** Refunds one funded job that is not refunded yet (its row locked by the caller) and announces it. */
    private Uni<Boolean> refundJob(
            SqlConnection tx,
            Envelope<?> cause,
            JobRef job,
            String requestId,
            long userId,
            long price,
            ErrorClass errorClass) {
        return ledger.openAndLock(tx, userId, null, null)
                .flatMap(balance ->
                        ledger.apply(tx, Entry.refund(userId, requestId, job.jobId(), price, errorClass.name())))
                .flatMap(balanceAfter -> tx.preparedQuery(
                                "UPDATE billing.funded_job SET refunded_at = now() WHERE job_id = $1")
                        .execute(Tuple.of(job.jobId()))
                        .flatMap(ignored -> {
                            CreditsRefunded refunded = new CreditsRefunded(job, price, balanceAfter, errorClass);
                            return outbox.publish(
                                    tx, cause == null ? Envelope.of(refunded) : Envelope.causedBy(cause, refunded));
                        })
                        .invoke(() -> LOG.infof(
                                "Refunded job %s: %d credit(s), balance %d", job.jobId(), price, balanceAfter)))
                .replaceWith(true);
    }

    /**
     * The refund backstop (docs/architecture.md#every-funded-job-ends): refunds once (key {@code refund:<jobId>}), as
     * {@code TIMEOUT}, up to {@code limit} funded jobs that were neither delivered nor refunded although they were
     * funded more than {@code after} ago, and publishes {@code credits.refunded} for each. Rows another instance is
     * refunding at the same moment are skipped (they are locked), so instances side by side never refund a job twice.
     * Returns the ids of the jobs it refunded.
     */
    public Uni<List<String>> refundForgotten(SqlConnection tx, Duration after, int limit) {
        return tx.preparedQuery("SELECT f.job_id, f.request_id, f.user_id, f.price, a.chat_id, a.locale, "
                        + "(SELECT count(*) FROM billing.funded_job s WHERE s.request_id = f.request_id) AS total "
                        + "FROM billing.funded_job f JOIN billing.account a ON a.user_id = f.user_id "
                        + "WHERE f.refunded_at IS NULL AND f.delivered_at IS NULL AND f.funded_at < $1 "
                        + "ORDER BY f.funded_at LIMIT $2 FOR UPDATE OF f SKIP LOCKED")
                .execute(Tuple.of(OffsetDateTime.now(ZoneOffset.UTC).minus(after), limit))
                .flatMap(rows -> {
                    List<String> refunded = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        JobRef job = forgottenJob(row);
                        chain = chain.chain(() -> refundJob(
                                        tx,
                                        null,
                                        job,
                                        job.requestId(),
                                        job.userId(),
                                        row.getLong("price"),
                                        ErrorClass.TIMEOUT)
                                .invoke(() -> {
                                    refunded.add(job.jobId());
                                    LOG.warnf(
                                            "Refund backstop: job %s was neither delivered nor refunded %s after it was"
                                                    + " funded; refunded by billing",
                                            job.jobId(), after);
                                })
                                .replaceWithVoid());
                    }
                    return chain.replaceWith(refunded);
                });
    }

    /** The job as billing knows it: the request's chat and language from the account; its index from its id. */
    private static JobRef forgottenJob(Row row) {
        String jobId = row.getString("job_id");
        String requestId = row.getString("request_id");
        long userId = row.getLong("user_id");
        Long chatId = row.getLong("chat_id");
        int index;
        try {
            index = Integer.parseInt(jobId.substring(requestId.length() + 1));
        } catch (RuntimeException e) {
            index = 1;
        }
        return new JobRef(
                jobId,
                requestId,
                userId,
                // in a private chat with a bot the chat id is the user id
                chatId == null ? userId : chatId,
                Language.fromCode(row.getString("locale")),
                index,
                row.getLong("total").intValue(),
                null);
    }

    /** Records that a funded job was delivered (its refund backstop leaves it alone); false for a job never funded. */
    public Uni<Boolean> delivered(SqlConnection tx, String jobId) {
        return tx.preparedQuery(
                        "UPDATE billing.funded_job SET delivered_at = now() WHERE job_id = $1 AND delivered_at IS NULL")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Credits a Stars payment once per Telegram charge id and publishes {@code credits.added}. */
    public Uni<Boolean> topUp(SqlConnection tx, Envelope<PaymentReceived> event) {
        PaymentReceived payment = event.payload();
        if (payment.credits() <= 0
                || payment.chargeId() == null
                || payment.chargeId().isBlank()) {
            return ignore(tx, event, String.valueOf(payment.chargeId()), "payment carries no credits or no charge id");
        }
        Entry entry = Entry.topUp(payment.userId(), payment.chargeId(), payment.credits());
        return ledger.openAndLock(tx, payment.userId(), payment.chatId(), code(payment.locale()))
                .flatMap(balance -> ledger.hasEntry(tx, entry.idempotencyKey()))
                .flatMap(seen -> seen
                        ? ignore(tx, event, payment.chargeId(), "charge already credited")
                        : ledger.apply(tx, entry)
                                .flatMap(balanceAfter -> outbox.publish(
                                        tx,
                                        Envelope.causedBy(
                                                event,
                                                new CreditsAdded(
                                                        payment.userId(),
                                                        payment.chatId(),
                                                        payment.locale(),
                                                        payment.credits(),
                                                        balanceAfter,
                                                        CreditSource.TOPUP,
                                                        payment.chargeId()))))
                                .replaceWith(true));
    }

    /**
     * Takes back the credits of a Stars payment Telegram refunded, once per charge id (key
     * {@code chargeback:<chargeId>}), never below zero: what the balance cannot cover (the credits were already spent)
     * is kept in {@code ignored_event} for an admin. Returns the credits taken back (0 when nothing changed).
     */
    public Uni<Long> chargeBack(SqlConnection tx, Envelope<PaymentRefunded> event) {
        PaymentRefunded refund = event.payload();
        if (refund.credits() <= 0
                || refund.chargeId() == null
                || refund.chargeId().isBlank()) {
            return ignore(tx, event, String.valueOf(refund.chargeId()), "refund carries no credits or no charge id")
                    .replaceWith(0L);
        }
        String key = EntryKind.CHARGEBACK.key(refund.chargeId());
        return ledger.openAndLock(tx, refund.userId(), refund.chatId(), code(refund.locale()))
                .flatMap(balance -> ledger.hasEntry(tx, key).flatMap(seen -> {
                    if (seen) {
                        return ignore(tx, event, refund.chargeId(), "refund already taken back")
                                .replaceWith(0L);
                    }
                    return ledger.toppedUp(tx, refund.userId(), refund.chargeId())
                            .flatMap(credited -> credited == null
                                    // Nothing was credited for it (never reached billing, or refused): nothing to take.
                                    ? ignore(tx, event, refund.chargeId(), "refunded charge was never credited")
                                            .replaceWith(0L)
                                    : takeBack(tx, event, balance, credited));
                }));
    }

    private Uni<Long> takeBack(SqlConnection tx, Envelope<PaymentRefunded> event, long balance, long credited) {
        PaymentRefunded refund = event.payload();
        long taken = Math.min(balance, credited);
        long missing = credited - taken;
        Uni<Void> shortfall = missing == 0
                ? Uni.createFrom().voidItem()
                : ledger.recordIgnored(
                                tx,
                                event.id(),
                                event.type(),
                                refund.chargeId(),
                                "refunded payment: " + missing + " of " + credited
                                        + " credit(s) could not be taken back (balance " + balance
                                        + "); an admin decides")
                        .invoke(() -> LOG.warnf(
                                "Refund of charge %s for user %d: %d of %d credit(s) not covered by the balance,"
                                        + " recorded for an admin",
                                refund.chargeId(), refund.userId(), missing, credited));
        if (taken == 0) {
            return shortfall.replaceWith(0L);
        }
        return shortfall
                .chain(() -> ledger.apply(
                        tx, Entry.chargeback(refund.userId(), refund.chargeId(), taken, "stars payment refunded")))
                // No credits.added: the gateway tells the user about the refund when it arrives, and a "credits
                // added" notice with a negative amount would confuse them.
                .invoke(balanceAfter -> LOG.infof(
                        "Refunded charge %s: took back %d credit(s) of user %d, balance %d",
                        refund.chargeId(), taken, refund.userId(), balanceAfter))
                .replaceWith(taken);
    }

    /** What a grant did: the balance after it, and whether this call applied it (false: the key was used before). */
    public record GrantResult(long userId, long balanceAfter, boolean applied) {}

    /** A support grant (positive or negative) with a caller-provided idempotency key; never below zero. */
    public Uni<GrantResult> grant(SqlConnection tx, long userId, long amount, String reason, String key) {
        Entry entry = Entry.grant(userId, amount, reason, key);
        return ledger.openAndLock(tx, userId, null, null)
                .flatMap(balance -> ledger.balanceAfter(tx, entry.idempotencyKey()))
                .flatMap(previous -> {
                    if (previous != null) {
                        return Uni.createFrom().item(new GrantResult(userId, previous, false));
                    }
                    return ledger.apply(tx, entry).flatMap(balanceAfter -> {
                        if (balanceAfter == null) {
                            return Uni.createFrom().failure(new InsufficientCreditsException(userId, -amount));
                        }
                        return chatOf(tx, userId)
                                .flatMap(chat -> outbox.publish(
                                        tx,
                                        Envelope.of(new CreditsAdded(
                                                userId,
                                                chat.chatId(),
                                                chat.locale(),
                                                amount,
                                                balanceAfter,
                                                CreditSource.GRANT,
                                                key))))
                                .replaceWith(new GrantResult(userId, balanceAfter, true));
                    });
                });
    }

    /**
     * The user's balance, read without writing: a user without an account reads as having none yet, with the welcome
     * credits the first order will open it with (so the bot's menu shows what the seller can really spend).
     */
    public Uni<Balance> balance(SqlClient client, long userId) {
        return ledger.balanceOf(client, userId)
                .map(balance -> balance.isPresent()
                        ? new Balance(userId, balance.getAsLong(), true)
                        : new Balance(userId, ledger.welcomeCredits(), false));
    }

    private record Chat(long chatId, Language locale) {}

    private Uni<Chat> chatOf(SqlConnection tx, long userId) {
        return tx.preparedQuery("SELECT chat_id, locale FROM billing.account WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Long chatId = row.getLong("chat_id");
                    // In a private chat with a bot the chat id is the user id.
                    return new Chat(chatId == null ? userId : chatId, Language.fromCode(row.getString("locale")));
                });
    }

    private Uni<Boolean> ignore(SqlConnection tx, Envelope<?> event, String reference, String reason) {
        LOG.infof("Ignored %s %s for %s: %s", event.type(), event.id(), reference, reason);
        return ledger.recordIgnored(tx, event.id(), event.type(), reference, reason)
                .replaceWith(false);
    }

    private static String code(Language language) {
        return language == null ? null : language.code();
    }
}
