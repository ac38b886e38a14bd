package com.neurocards.billing.ledger;

import com.neurocards.billing.config.BillingConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The ledger's SQL, on the caller's transaction. Every change takes the account row's lock first, so all changes to
 * one user's credits happen one after another, and an idempotency-key check after the lock cannot race.
 */
@ApplicationScoped
public class Ledger {

    private final long welcomeCredits;

    public Ledger(BillingConfig config) {
        this.welcomeCredits = config.welcomeCredits();
    }

    /**
     * Opens the user's account if it is new (with the welcome credits, once), locks it for the rest of the
     * transaction, and returns its balance.
     */
    public Uni<Long> openAndLock(SqlConnection tx, long userId, Long chatId, String locale) {
        return tx.preparedQuery(
                        "INSERT INTO billing.account (user_id, chat_id, locale, balance) VALUES ($1, $2, $3, $4)"
                                + " ON CONFLICT (user_id) DO NOTHING")
                .execute(Tuple.of(userId, chatId, locale, welcomeCredits))
                .flatMap(inserted -> inserted.rowCount() == 1 && welcomeCredits > 0
                        ? insertEntry(tx, Entry.welcome(userId, welcomeCredits), welcomeCredits)
                        : Uni.createFrom().voidItem())
                .flatMap(ignored -> tx.preparedQuery("UPDATE billing.account SET chat_id = COALESCE($2, chat_id),"
                                + " locale = COALESCE($3, locale) WHERE user_id = $1 RETURNING balance")
                        .execute(Tuple.of(userId, chatId, locale)))
                .map(rows -> rows.iterator().next().getLong("balance"));
    }

    /** The user's balance, or empty for a user without an account. Reads only: nothing is opened or locked. */
    public Uni<OptionalLong> balanceOf(SqlClient client, long userId) {
        return client.preparedQuery("SELECT balance FROM billing.account WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    return it.hasNext() ? OptionalLong.of(it.next().getLong("balance")) : OptionalLong.empty();
                });
    }

    /** Credits a new account starts with. */
    public long welcomeCredits() {
        return welcomeCredits;
    }

    /** Whether an entry with this idempotency key exists. */
    public Uni<Boolean> hasEntry(SqlConnection tx, String idempotencyKey) {
        return tx.preparedQuery("SELECT 1 FROM billing.ledger_entry WHERE idempotency_key = $1")
                .execute(Tuple.of(idempotencyKey))
                .map(rows -> rows.size() > 0);
    }

    /** The credits the top-up of this Telegram charge gave, if it was credited to this user; else {@code null}. */
    public Uni<Long> toppedUp(SqlConnection tx, long userId, String chargeId) {
        return tx.preparedQuery("SELECT amount FROM billing.ledger_entry WHERE idempotency_key = $1 AND user_id = $2")
                .execute(Tuple.of(EntryKind.TOPUP.key(chargeId), userId))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    return it.hasNext() ? it.next().getLong("amount") : null;
                });
    }

    /** The balance after the entry with this key, when it exists. */
    public Uni<Long> balanceAfter(SqlConnection tx, String idempotencyKey) {
        return tx.preparedQuery("SELECT balance_after FROM billing.ledger_entry WHERE idempotency_key = $1")
                .execute(Tuple.of(idempotencyKey))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    return it.hasNext() ? it.next().getLong("balance_after") : null;
                });
    }

    /**
     * Applies an entry to a locked account: moves the balance and appends the entry. Returns the new balance, or
     * {@code null} (nothing changed) when the balance would go below zero.
     */
    public Uni<Long> apply(SqlConnection tx, Entry entry) {
        return tx.preparedQuery("UPDATE billing.account SET balance = balance + $2, updated_at = now()"
                        + " WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance")
                .execute(Tuple.of(entry.userId(), entry.amount()))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    long balance = rows.iterator().next().getLong("balance");
                    return insertEntry(tx, entry, balance).replaceWith(balance);
                });
    }

    private Uni<Void> insertEntry(SqlConnection tx, Entry entry, long balanceAfter) {
        return tx.preparedQuery("INSERT INTO billing.ledger_entry (user_id, kind, amount, balance_after, request_id,"
                        + " job_id, charge_id, reason, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.tuple()
                        .addLong(entry.userId())
                        .addString(entry.kind().name())
                        .addLong(entry.amount())
                        .addLong(balanceAfter)
                        .addString(entry.requestId())
                        .addString(entry.jobId())
                        .addString(entry.chargeId())
                        .addString(entry.reason())
                        .addString(entry.idempotencyKey()))
                .replaceWithVoid();
    }

    /** Keeps a record of an event billing declined to act on. */
    public Uni<Void> recordIgnored(
            SqlConnection tx, UUID messageId, String eventType, String reference, String reason) {
        return tx.preparedQuery("INSERT INTO billing.ignored_event (message_id, event_type, reference, reason)"
                        + " VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(messageId, eventType, reference, reason))
                .replaceWithVoid();
    }
}
