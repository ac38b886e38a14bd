package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@link SendSpacing} for the deployment: the next free moment of each chat is a row of {@code telegram.chat_send_slot}
 * and the bot's sends per window of the clock are rows of {@code telegram.bot_send_window}, keyed by the bot's id, so
 * every instance of the gateway and the pipeline that speaks as one bot shares one spacing (decision 0016). A
 * reservation is one short transaction: the chat's row is locked (created on first use) and the database's clock read,
 * the first window with room at or after the chat's free moment counted, the chat's row written. No row is locked by
 * every send: chats never wait on each other, and a window's row is held only from its count to the commit. A 429's
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
     * A reservation's row locks (its chat's, then its window's) are held for its round trips only, not for the commit's
     * disk flush: a slot is pacing, not a record (docs/decisions/0016). Should the database crash, it may forget the
     * last fraction of a second of reservations; the worst that follows is one Telegram 429, honoured like any other.
     */
    private static final String NO_FLUSH_WAIT = "SET LOCAL synchronous_commit = off";

    /**
     * Locks the chat's row (created on first use, free since the epoch) and reads the database's clock once the lock
     * is held: reservations for one chat follow each other, reservations for different chats do not wait on this.
     */
    private static final String LOCK_CHAT =
            """
            INSERT INTO telegram.chat_send_slot AS c (bot_id, chat_id, next_at) VALUES ($1, $2, 'epoch')
            ON CONFLICT (bot_id, chat_id) DO UPDATE SET next_at = c.next_at
            RETURNING c.next_at, clock_timestamp() AS now""";

    /**
     * Counts one more send in the first window from $2 to $3 with room for it. The full windows on the way are skipped
     * by reading them, never locked (an {@code ON CONFLICT DO UPDATE} locks the row it meets even when its condition
     * refuses the update): a reservation holds one window row, the one it counts in, until its commit, so reservations
     * in a burst do not queue behind each other's walk over every full window. {@code candidate} is null when every
     * window of the range is full; {@code taken} is null when another reservation filled the candidate between the
     * read and the count, and the search goes on after it.
     */
    private static final String TAKE_WINDOW =
            """
            WITH candidate AS (
                SELECT g.window_no FROM generate_series($2::bigint, $3::bigint) AS g(window_no)
                LEFT JOIN telegram.bot_send_window b ON b.bot_id = $1 AND b.window_no = g.window_no
                WHERE coalesce(b.sent, 0) < $4
                ORDER BY g.window_no LIMIT 1),
            taken AS (
                INSERT INTO telegram.bot_send_window AS w (bot_id, window_no, sent)
                SELECT $1, window_no, 1 FROM candidate
                ON CONFLICT (bot_id, window_no) DO UPDATE SET sent = w.sent + 1 WHERE w.sent < $4
                RETURNING w.window_no)
            SELECT (SELECT window_no FROM candidate) AS candidate, (SELECT window_no FROM taken) AS taken""";

    /** The chat's next free moment and the database's clock, read without a lock (no row: never sent to). */
    private static final String READ_CHAT =
            "SELECT next_at, clock_timestamp() AS now FROM telegram.chat_send_slot WHERE bot_id = $1 AND chat_id = $2";

    private static final String WRITE_CHAT =
            "UPDATE telegram.chat_send_slot SET next_at = GREATEST(next_at, $3) WHERE bot_id = $1 AND chat_id = $2";

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
        return pool.withTransaction(connection -> connection
                .query(NO_FLUSH_WAIT)
                .execute()
                .chain(() -> connection.preparedQuery(LOCK_CHAT).execute(Tuple.of(botId, chatId)))
                .map(rows -> rows.iterator().next())
                .chain(chat -> {
                    Instant now = instant(chat, "now");
                    Instant chatNext = instant(chat, "next_at");
                    long first = SendSpacing.window(SendSpacing.chatFree(now, chatNext));
                    long last = SendSpacing.window(now.plus(spacing.maxWait()));
                    return takeWindow(connection, first, last).chain(window -> {
                        SendSpacing.Reservation reservation = spacing.reserve(now, chatNext, window);
                        Slot slot = new Slot(now, reservation.delay());
                        if (!reservation.reserved()) {
                            // every window within maxWait is full, or the chat's own moment is further: no window
                            // was counted, nothing is reserved
                            return Uni.createFrom().item(slot);
                        }
                        return connection
                                .preparedQuery(WRITE_CHAT)
                                .execute(Tuple.of(botId, chatId, utc(reservation.chatNext())))
                                .replaceWith(slot);
                    });
                }));
    }

    /**
     * The first window from {@code window} on that takes one more send, counted; when none up to {@code last} does, the
     * window after it (nothing the caller may reserve: nothing was counted).
     */
    private Uni<Long> takeWindow(SqlConnection connection, long window, long last) {
        if (window > last) {
            return Uni.createFrom().item(window);
        }
        return connection
                .preparedQuery(TAKE_WINDOW)
                .execute(Tuple.of(botId, window, last, spacing.perWindow()))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    Long taken = row.getLong("taken");
                    if (taken != null) {
                        return Uni.createFrom().item(taken);
                    }
                    Long candidate = row.getLong("candidate");
                    return candidate == null
                            ? Uni.createFrom().item(last + 1)
                            : takeWindow(connection, candidate + 1, last);
                });
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

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
