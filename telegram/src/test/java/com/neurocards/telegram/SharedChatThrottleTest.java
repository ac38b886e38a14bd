package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spacing of Telegram sends shared through PostgreSQL by independent instances (each its own pool, as separate
 * processes would have) on one database. Every assertion is on the slots the database reserved, on its one clock, so a
 * slow machine makes the test slower, never wrong.
 */
class SharedChatThrottleTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    /** Rounding of timestamps to PostgreSQL's microseconds. */
    private static final Duration MICRO = Duration.ofNanos(1000);

    private static final AtomicLong BOTS = new AtomicLong(700_000);
    private static SpacingDatabase db;

    @BeforeAll
    static void start() {
        db = new SpacingDatabase().migrated();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void threeInstancesSendingToOneChatGetSlotsAtLeastThePerChatIntervalApart() {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(60));
        List<SharedChatThrottle> instances =
                List.of(db.instance(bot, spacing), db.instance(bot, spacing), db.instance(bot, spacing));

        List<Uni<SharedChatThrottle.Slot>> all = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (SharedChatThrottle instance : instances) {
                all.add(instance.reserveSlot(42));
            }
        }
        List<Instant> slots = reservedSlots(all);

        assertThat(slots).hasSize(12);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i)))
                    .as("slot %d after slot %d", i, i - 1)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(MICRO));
        }
    }

    @Test
    void manyChatsFromThreeInstancesStayUnderTheBotsGlobalRate() {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(60));
        List<SharedChatThrottle> instances =
                List.of(db.instance(bot, spacing), db.instance(bot, spacing), db.instance(bot, spacing));

        List<Uni<SharedChatThrottle.Slot>> all = new ArrayList<>();
        for (int chat = 0; chat < 60; chat++) {
            all.add(instances.get(chat % 3).reserveSlot(1000 + chat));
        }
        List<Instant> slots = reservedSlots(all);

        assertThat(slots).hasSize(60);
        // no 100 ms window holds more than a tenth of the 30 a second, so no second holds more than 33
        Map<Long, Long> perWindow =
                slots.stream().collect(Collectors.groupingBy(SendSpacing::window, Collectors.counting()));
        assertThat(perWindow.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(3L));
        for (Instant from : slots) {
            long inSecond = slots.stream()
                    .filter(slot -> !slot.isBefore(from) && slot.isBefore(from.plusSeconds(1)))
                    .count();
            assertThat(inSecond).as("sends in the second from %s", from).isLessThanOrEqualTo(33);
        }
        assertThat(Duration.between(slots.get(0), slots.get(59))).isGreaterThanOrEqualTo(Duration.ofMillis(1_800));
    }

    @Test
    void aChatJustSentToHoldsBackOnlyItself() {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(60));
        SharedChatThrottle first = db.instance(bot, spacing);
        SharedChatThrottle second = db.instance(bot, spacing);

        assertThat(first.reserveSlot(1).await().atMost(AWAIT).delay()).isZero();
        SharedChatThrottle.Slot again = first.reserveSlot(1).await().atMost(AWAIT);
        assertThat(again.delay()).as("chat 1 waits its second").isGreaterThan(Duration.ofMillis(900));
        // the old rule moved the bot's next moment past chat 1's slot: chat 2 waited a second behind it
        assertThat(second.reserveSlot(2).await().atMost(AWAIT).delay())
                .as("another chat, from another instance, goes at once")
                .isLessThan(Duration.ofMillis(200));
    }

    @Test
    void aFullWindowIsReadNotLockedSoAReservationPassesItWhileAnotherHoldsIt() throws Exception {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(60));
        SharedChatThrottle instance = db.instance(bot, spacing);
        try (Connection holder = db.database.connect();
                Statement statement = holder.createStatement()) {
            // the next two seconds' windows full, the present one's row held by an open transaction (as a
            // reservation in flight holds the window it counted in until its commit)
            statement.executeUpdate("INSERT INTO telegram.bot_send_window (bot_id, window_no, sent)"
                    + " SELECT " + bot + ", w, 3 FROM generate_series(floor(extract(epoch FROM clock_timestamp())"
                    + " * 10)::bigint - 1, floor(extract(epoch FROM clock_timestamp()) * 10)::bigint + 20) AS w");
            holder.setAutoCommit(false);
            statement
                    .executeQuery("SELECT * FROM telegram.bot_send_window WHERE bot_id = " + bot + " FOR UPDATE")
                    .close();
            // the first form upserted every full window on its way, and an upsert waits for a row's lock even when
            // it will refuse to count: this reservation waited for the holder's commit
            SharedChatThrottle.Slot slot = instance.reserveSlot(5).await().atMost(Duration.ofSeconds(10));
            assertThat(slot.delay())
                    .as("counted in the first window after the full ones")
                    .isGreaterThan(Duration.ofMillis(1_500));
            holder.rollback();
        }
    }

    @Test
    void aReservationHoldsNoLockWhileItsInstanceIsAwaySoABurstInOneWindowDoesNotQueueBehindTheNetwork()
            throws Exception {
        long bot = BOTS.incrementAndGet();
        // a large allowance: every send of the burst may go in the present windows, each row counted by many
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 1_000, Duration.ofSeconds(60));
        List<SharedChatThrottle> instances =
                List.of(db.instance(bot, spacing), db.instance(bot, spacing), db.instance(bot, spacing));
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger idleInTransaction = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try (Connection connection = db.database.connect();
                    PreparedStatement idle = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                            + " AND state = 'idle in transaction'")) {
                while (sampling.get()) {
                    try (ResultSet rows = idle.executeQuery()) {
                        rows.next();
                        idleInTransaction.accumulateAndGet(rows.getInt(1), Math::max);
                        samples.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        sampler.start();
        List<Instant> slots;
        try {
            List<Uni<SharedChatThrottle.Slot>> all = new ArrayList<>();
            for (int chat = 0; chat < 900; chat++) {
                all.add(instances.get(chat % 3).reserveSlot(5_000 + chat));
            }
            slots = reservedSlots(all);
        } finally {
            sampling.set(false);
            sampler.join();
        }

        assertThat(slots).hasSize(900);
        assertThat(samples.get()).as("the burst was looked at").isGreaterThan(20);
        // a reservation that was a transaction of several round trips sat idle in it, its window's row locked, while
        // its instance read each answer and sent the next statement: every send of that window waited for it
        assertThat(idleInTransaction.get())
                .as("connections idle inside a reservation's transaction")
                .isZero();
    }

    @Test
    void theWaitForAChatsTurnIsReadFromAnyInstanceAndReservesNothing() {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(60));
        SharedChatThrottle first = db.instance(bot, spacing);
        SharedChatThrottle second = db.instance(bot, spacing);

        assertThat(second.untilFree(3).await().atMost(AWAIT))
                .as("never sent to")
                .isZero();
        assertThat(first.reserveSlot(3).await().atMost(AWAIT).delay()).isZero();
        Duration wait = second.untilFree(3).await().atMost(AWAIT);
        assertThat(wait).as("the second after the first send").isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(second.untilFree(3).await().atMost(AWAIT)).isLessThanOrEqualTo(wait);
        // asking reserved nothing: the next send still goes a second after the first, not later
        assertThat(first.reserveSlot(3).await().atMost(AWAIT).delay()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(second.untilFree(4).await().atMost(AWAIT)).as("another chat").isZero();

        first.backOff(5, Duration.ofSeconds(30)).await().atMost(AWAIT);
        assertThat(second.untilFree(5).await().atMost(AWAIT))
                .as("a 429's push-back, within maxWait")
                .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
        SharedChatThrottle shortWait =
                db.instance(bot, new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(2)));
        assertThat(shortWait.untilFree(5).await().atMost(AWAIT))
                .as("beyond maxWait: negated")
                .isBetween(Duration.ofSeconds(-30), Duration.ofSeconds(-20));
    }

    @Test
    void aTelegram429RecordedByOneInstanceHoldsBackTheOthersForThatChatOnly() {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(2));
        SharedChatThrottle first = db.instance(bot, spacing);
        SharedChatThrottle second = db.instance(bot, spacing);
        SharedChatThrottle otherBot = db.instance(bot + 1_000_000, spacing);

        first.backOff(7, Duration.ofSeconds(120)).await().atMost(AWAIT);

        SharedChatThrottle.Slot refused = second.reserveSlot(7).await().atMost(AWAIT);
        assertThat(refused.delay())
                .as("refused: the chat is held back for about 120 s")
                .isLessThan(Duration.ofSeconds(-60));
        assertThat(second.reserve(7).await().atMost(AWAIT)).isLessThan(Duration.ofSeconds(-60));
        assertThat(second.reserveSlot(8).await().atMost(AWAIT).delay())
                .as("another chat")
                .isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(otherBot.reserveSlot(7).await().atMost(AWAIT).delay())
                .as("another bot's chat 7")
                .isZero();
    }

    @Test
    void aSlotBeyondMaxWaitIsRefusedAndReservesNothing() throws Exception {
        long bot = BOTS.incrementAndGet();
        SendSpacing spacing = new SendSpacing(Duration.ofSeconds(10), 30, Duration.ofSeconds(15));
        SharedChatThrottle first = db.instance(bot, spacing);
        SharedChatThrottle second = db.instance(bot, spacing);

        SharedChatThrottle.Slot a = first.reserveSlot(9).await().atMost(AWAIT);
        SharedChatThrottle.Slot b = second.reserveSlot(9).await().atMost(AWAIT);
        SharedChatThrottle.Slot c = first.reserveSlot(9).await().atMost(AWAIT);
        SharedChatThrottle.Slot d = second.reserveSlot(9).await().atMost(AWAIT);

        assertThat(a.delay()).isZero();
        assertThat(Duration.between(a.at(), b.at())).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.delay()).as("20 s away: refused").isNegative();
        assertThat(c.now().minus(c.delay()))
                .as("the wait told is to the free slot")
                .isEqualTo(b.at().plusSeconds(10));
        assertThat(d.now().minus(d.delay())).as("the refusal reserved nothing").isEqualTo(b.at().plusSeconds(10));
        assertThat(chatNext(bot, 9)).isEqualTo(b.at().plusSeconds(10));
    }

    @Test
    void everyServiceMigratingTheSchemaAtTheSameMomentAppliesItOnce() throws Exception {
        try (SpacingDatabase fresh = new SpacingDatabase()) {
            ExecutorService services = Executors.newFixedThreadPool(3);
            try {
                List<Future<Object>> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Callable<Object> migrate = () -> {
                        TelegramSchema.migrate(fresh.dataSource());
                        return null;
                    };
                    runs.add(services.submit(migrate));
                }
                for (Future<Object> run : runs) {
                    run.get();
                }
            } finally {
                services.shutdown();
            }
            try (Connection connection = fresh.database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT count(*) FROM telegram.flyway_schema_history WHERE version = '1' AND success")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            SharedChatThrottle instance =
                    fresh.instance(1, new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(2)));
            assertThat(instance.reserveSlot(1).await().atMost(AWAIT).delay()).isZero();
        }
    }

    @Test
    void whileTheDatabaseIsAwayAnInstanceSpacesItsSendsAloneAndSharesAgainWhenItIsBack() throws Exception {
        try (SpacingDatabase away = new SpacingDatabase().migrated()) {
            long bot = 77;
            SendSpacing spacing = new SendSpacing(Duration.ofSeconds(5), 30, Duration.ofSeconds(8));
            SharedChatThrottle instance = away.instance(bot, spacing);
            assertThat(instance.reserve(1).await().atMost(AWAIT)).as("shared").isZero();

            away.database.refuseConnections();
            try {
                Duration first = instance.reserve(2).await().atMost(AWAIT);
                Duration second = instance.reserve(2).await().atMost(AWAIT);
                assertThat(first).as("alone: the chat is free in this process").isZero();
                assertThat(second)
                        .as("alone: still spaced, by this process")
                        .isGreaterThan(Duration.ofSeconds(3))
                        .isLessThanOrEqualTo(Duration.ofSeconds(5));
            } finally {
                away.database.allowConnections();
            }

            // back: the database's spacing again, which never saw chat 2's sends while it was away
            Duration shared = Duration.ofSeconds(-1);
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (System.nanoTime() < deadline) {
                shared = instance.reserve(1).await().atMost(AWAIT);
                if (chatNextOrNull(away, bot, 1) != null
                        && !shared.isNegative()
                        && shared.compareTo(Duration.ofMillis(500)) > 0) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(shared).as("chat 1 spaced by its shared row again").isGreaterThan(Duration.ofMillis(500));
        }
    }

    @Test
    void idleChatsAreForgottenAndBusyOnesKept() throws Exception {
        long bot = BOTS.incrementAndGet();
        try (Connection connection = db.database.connect();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO telegram.chat_send_slot (bot_id, chat_id, next_at) VALUES (" + bot
                    + ", 1, now() - interval '1 hour'), (" + bot + ", 2, now() + interval '1 minute')");
            statement.executeUpdate("INSERT INTO telegram.bot_send_window (bot_id, window_no, sent) VALUES (" + bot
                    + ", floor(extract(epoch FROM now() - interval '1 hour') * 10), 3), (" + bot
                    + ", floor(extract(epoch FROM now()) * 10), 1)");
        }
        int forgotten = SharedChatThrottle.forgetIdleChats(db.pool(), Duration.ofMinutes(10))
                .await()
                .atMost(AWAIT);

        assertThat(forgotten).isGreaterThanOrEqualTo(1);
        assertThat(chatNextOrNull(db, bot, 1)).isNull();
        assertThat(chatNextOrNull(db, bot, 2)).isNotNull();
        try (Connection connection = db.database.connect();
                Statement statement = connection.createStatement();
                java.sql.ResultSet windows =
                        statement.executeQuery("SELECT count(*) FROM telegram.bot_send_window WHERE bot_id = " + bot)) {
            windows.next();
            assertThat(windows.getInt(1))
                    .as("the hour-old window forgotten, the present one kept")
                    .isEqualTo(1);
        }
    }

    @Test
    void theBotIdIsTheTokensNumericPartAndARefusalNeverQuotesTheToken() {
        assertThat(TelegramConfig.botId("123456:AAE-secret-part")).isEqualTo(123456L);
        assertThatThrownBy(() -> TelegramConfig.botId("notanumber:AAE-secret-part"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("AAE-secret-part")
                .doesNotContain("notanumber");
        assertThatThrownBy(() -> TelegramConfig.botId("AAE-secret-part"))
                .message()
                .doesNotContain("AAE-secret-part");
    }

    /** Subscribes to every reservation at once and gives the reserved moments in order. */
    private static List<Instant> reservedSlots(List<Uni<SharedChatThrottle.Slot>> reservations) {
        List<SharedChatThrottle.Slot> slots =
                Uni.join().all(reservations).andFailFast().await().atMost(AWAIT);
        assertThat(slots)
                .allSatisfy(slot -> assertThat(slot.delay()).as("reserved").isGreaterThanOrEqualTo(Duration.ZERO));
        return slots.stream()
                .map(SharedChatThrottle.Slot::at)
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static Instant chatNext(long bot, long chat) throws Exception {
        Instant next = chatNextOrNull(db, bot, chat);
        assertThat(next).as("chat %d of bot %d has a row", chat, bot).isNotNull();
        return next;
    }

    private static Instant chatNextOrNull(SpacingDatabase on, long bot, long chat) throws Exception {
        try (Connection connection = on.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT next_at FROM telegram.chat_send_slot WHERE bot_id = "
                        + bot + " AND chat_id = " + chat)) {
            return rows.next() ? rows.getTimestamp(1).toInstant() : null;
        }
    }
}
