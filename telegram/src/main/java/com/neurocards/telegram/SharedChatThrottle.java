package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@link SendSpacing} for the deployment: the next free moment of each chat is a row of {@code telegram.chat_send_slot}
 * and the bot's sends per window of the clock are rows of {@code telegram.bot_send_window}, keyed by the bot's id, so
 * every instance of the gateway and the pipeline that speaks as one bot shares one spacing (decision 0016). A
 * reservation is one statement, the database function {@code telegram.reserve_send} (migration V3, {@link SendSpacing}'s
 * rule in SQL): the chat's row is locked (created on first use) and the database's clock read, the first window with
 * room at or after the chat's free moment counted, the chat's row written. No row is locked by every send: chats never
 * wait on each other, and the window a send is counted in is locked only while the database runs the function, never
 * across a round trip to this process, so a burst of sends in one window does not queue behind the network. A 429's
 * push-back is a chat row too, so it holds back every instance.
 *
 * <p>While the database does not answer within {@link #DATABASE_WAIT}, this instance spaces its sends alone with its
 * in-process {@link ChatThrottle} (the limits then hold per instance, as before there was a shared spacing, and a 429
 * is still honoured); that is logged once when it starts and once when the shared spacing answers again.
 */
public class SharedChatThrottle implements SendThrottle {

    private static final Logger LOG = Logger.getLogger(SharedChatThrottle.class);

    /** The longest a reservation waits for the database before this instance spaces its sends alone. */
    static final Duration DATABASE_WAIT = Duration.ofSeconds(2);

    /**
     * The reservation, one statement: {@code telegram.reserve_send} (migration V3) locks the chat's row, counts the send
     * in the first window with room at or after the chat's free moment (the full ones read, never locked) and writes
     * the chat's next moment, by {@link SendSpacing}'s rule; its locks are held only while the database runs it, and
     * its commit does not wait for the disk (a slot is pacing, not a record: docs/decisions/0016).
     */
    private static final String RESERVE =
            "SELECT db_now, slot_at, reserved FROM telegram.reserve_send($1, $2, make_interval(secs => $3), $4, $5,"
                    + " make_interval(secs => $6))";

    /** The chat's next free moment and the database's clock, read without a lock (no row: never sent to). */
    private static final String READ_CHAT =
            "SELECT next_at, clock_timestamp() AS now FROM telegram.chat_send_slot WHERE bot_id = $1 AND chat_id = $2";

    private static final String BACK_OFF =
            """
            INSERT INTO telegram.chat_send_slot AS c (bot_id, chat_id, next_at)
            VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
            ON CONFLICT (bot_id, chat_id) DO UPDATE SET next_at = GREATEST(c.next_at, EXCLUDED.next_at)""";

    private static final String FORGET_IDLE_CHATS =
            """
            WITH windows AS (
                DELETE FROM telegram.bot_send_window
                WHERE window_no < floor(extract(epoch FROM clock_timestamp() - make_interval(secs => $1)) * 1000 / $2))
            DELETE FROM telegram.chat_send_slot WHERE next_at < clock_timestamp() - make_interval(secs => $1)""";

    private final Pool pool;
    private final long botId;
    private final SendSpacing spacing;
    private final ChatThrottle alone;
    private final AtomicBoolean degraded = new AtomicBoolean();

    /**
     * @param botId the bot's numeric id ({@link TelegramConfig#botId()}), never the token
     * @param alone this instance's own spacing, used while the database does not answer
     */
    public SharedChatThrottle(Pool pool, long botId, SendSpacing spacing, ChatThrottle alone) {
        this.pool = pool;
        this.botId = botId;
        this.spacing = spacing;
        this.alone = alone;
    }

    @Override
    public Uni<Duration> reserve(long chatId) {
        return reserveSlot(chatId)
                .map(Slot::delay)
                .ifNoItem()
                .after(DATABASE_WAIT)
                .fail()
                .invoke(ignored -> answered())
                .onFailure()
                .recoverWithItem(failure -> {
                    unanswered(failure);
                    return alone.reserveNow(chatId);
                });
    }

    /**
     * The chat's wait as the database has it; while the database does not answer, as this instance's own spacing has
     * it (the send's reservation decides in the end either way).
     */
    @Override
    public Uni<Duration> untilFree(long chatId) {
        return pool.preparedQuery(READ_CHAT)
                .execute(Tuple.of(botId, chatId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Duration.ZERO;
                    }
                    Row chat = rows.iterator().next();
                    return SendSpacing.untilFree(instant(chat, "now"), instant(chat, "next_at"), spacing.maxWait());
                })
                .ifNoItem()
                .after(DATABASE_WAIT)
                .fail()
                .onFailure()
                .recoverWithItem(failure -> alone.untilFreeNow(chatId));
    }

    /** A reservation as the database decided it: its clock's present and the wait (negative: refused). */
    record Slot(Instant now, Duration delay) {
        /** The moment reserved, on the database's clock. */
        Instant at() {
            return now.plus(delay);
        }
    }

    /** The reservation in the database alone, without the fall-back (also for tests: the slots on one clock). */
    Uni<Slot> reserveSlot(long chatId) {
        return pool.preparedQuery(RESERVE)
                .execute(Tuple.of(
                        botId,
                        chatId,
                        seconds(spacing.perChat()),
                        spacing.perWindow(),
                        SendSpacing.WINDOW.toMillis(),
                        seconds(spacing.maxWait())))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Instant now = instant(row, "db_now");
                    Duration wait = Duration.between(now, instant(row, "slot_at"));
                    // refused: the wait it would have needed, negated (SendSpacing.Reservation)
                    return new Slot(now, row.getBoolean("reserved") ? wait : wait.negated());
                });
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    @Override
    public Uni<Void> backOff(long chatId, Duration retryAfter) {
        alone.backOffNow(chatId, retryAfter);
        return pool.preparedQuery(BACK_OFF)
                .execute(Tuple.of(botId, chatId, retryAfter.toMillis() / 1000.0))
                .ifNoItem()
                .after(DATABASE_WAIT)
                .fail()
                .invoke(ignored -> answered())
                .onFailure()
                .invoke(this::unanswered)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Deletes the chats whose next free moment passed more than {@code idle} ago (a missing row and a past one mean
     * the same: the chat is free), and the bots' send counts of windows that long past, for every bot.
     *
     * @return how many were deleted
     */
    public static Uni<Integer> forgetIdleChats(Pool pool, Duration idle) {
        return pool.preparedQuery(FORGET_IDLE_CHATS)
                .execute(Tuple.of(idle.toMillis() / 1000.0, SendSpacing.WINDOW.toMillis()))
                .map(rows -> rows.rowCount());
    }

    private void answered() {
        if (degraded.compareAndSet(true, false)) {
            LOG.info("The shared Telegram send spacing answers again: sends are spaced for the whole deployment");
        }
    }

    private void unanswered(Throwable failure) {
        if (degraded.compareAndSet(false, true)) {
            LOG.warnf(
                    "The shared Telegram send spacing did not answer (%s): this instance spaces its sends alone until it"
                            + " does, so instances together may exceed Telegram's limits and meet 429s, which are honoured",
                    Redaction.redact(Redaction.describe(failure)));
        }
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }
}
