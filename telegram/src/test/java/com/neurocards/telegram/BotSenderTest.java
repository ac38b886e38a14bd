package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.TelegramEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * The one sender against the Telegram emulator: what each Bot API answer becomes under both ways of waiting — in
 * place (the gateway) and handed back (the pipeline) — and that no failure carries the bot token.
 */
class BotSenderTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final AtomicLong USERS = new AtomicLong(9000);

    static TelegramEmulator telegram;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** What the pipeline's hand-back makes of a wait (there: a paced StageException). */
    static final class Paced extends RuntimeException {
        final Duration wait;
        final Integer providerCode;

        Paced(String reason, Duration wait, Integer providerCode) {
            super(reason);
            this.wait = wait;
            this.providerCode = providerCode;
        }
    }

    enum Policy {
        IN_PLACE,
        HAND_BACK
    }

    enum Outcome {
        SENT,
        RATE_LIMITED,
        HANDED_BACK,
        BLOCKED,
        NOT_MODIFIED,
        MESSAGE_GONE,
        TOO_LARGE,
        REFUSED
    }

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator(
                TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed());
        telegram.start(0);
        // the first call loads the Telegram client, its JSON mapping and the reactive infrastructure (seconds on a
        // busy machine); no case below should time that instead of the waits it is about
        TelegramConfig config = config(telegram.baseUrl());
        TelegramClients clients = new TelegramClients(config);
        new BotSender(
                        clients.telegramClient(),
                        clients,
                        config,
                        SendPolicy.waitInPlace("warm-up", 1, Duration.ZERO),
                        new SimpleMeterRegistry())
                .send("getMe", client -> client.execute(new org.telegram.telegrambots.meta.api.methods.GetMe()))
                .await()
                .atMost(AWAIT);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @AfterEach
    void clearFaults() {
        telegram.clearFaults();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            textBlock =
                    """
            # case                                              | policy    | code | retry_after | description                                   | faults | calls | waits s | outcome
            a 429 is waited out in place and sent               | IN_PLACE  | 429  | 1           | Too Many Requests: retry after 1              | 1      | 2     | 1       | SENT
            a 429 naming no retry_after waits one second        | IN_PLACE  | 429  | null        | Too Many Requests                             | 1      | 2     | 1       | SENT
            a 429 asking for more than may be waited fails      | IN_PLACE  | 429  | 40          | Too Many Requests: retry after 40             | 1      | 1     | 0       | RATE_LIMITED
            429 after 429 fails when the calls are used up      | IN_PLACE  | 429  | 1           | Too Many Requests: retry after 1              | 3      | 3     | 2       | RATE_LIMITED
            a 429 is handed back with its retry_after           | HAND_BACK | 429  | 3           | Too Many Requests: retry after 3              | 1      | 1     | 0       | HANDED_BACK
            a 429 of retry_after 0 is handed back as one second | HAND_BACK | 429  | 0           | Too Many Requests: retry after 0              | 1      | 1     | 0       | HANDED_BACK
            403 blocked by the user is not tried again          | IN_PLACE  | 403  | null        | Forbidden: bot was blocked by the user        | 1      | 1     | 0       | BLOCKED
            403 blocked by the user, handing back               | HAND_BACK | 403  | null        | Forbidden: bot was blocked by the user        | 1      | 1     | 0       | BLOCKED
            400 an edit that changes nothing                    | HAND_BACK | 400  | null        | Bad Request: message is not modified          | 1      | 1     | 0       | NOT_MODIFIED
            400 the message to edit is gone                     | HAND_BACK | 400  | null        | Bad Request: message to edit not found        | 1      | 1     | 0       | MESSAGE_GONE
            400 any other bad request                           | IN_PLACE  | 400  | null        | Bad Request: chat not found                   | 1      | 1     | 0       | REFUSED
            413 an upload over the cap                          | HAND_BACK | 413  | null        | Request Entity Too Large                      | 1      | 1     | 0       | TOO_LARGE
            500 an answered failure is not tried again in place | IN_PLACE  | 500  | null        | Internal Server Error                         | 1      | 1     | 0       | REFUSED
            """)
    void eachAnswerOfTheBotApi(
            String name,
            Policy policy,
            int code,
            Integer retryAfter,
            String description,
            int faults,
            int calls,
            int waitsSeconds,
            Outcome outcome) {
        long chat = newChat();
        // no waiting in place for the chat: after a 429, the next reserve shows the push-back as a (negative) wait
        ChatThrottle throttle = new ChatThrottle(Duration.ofMillis(1), 30, Duration.ZERO, Clock.systemUTC());
        BotSender sender = sender(
                policy == Policy.IN_PLACE
                        ? SendPolicy.waitInPlace("test", 3, Duration.ofSeconds(30))
                        : SendPolicy.handBack("test", throttle, Paced::new));
        telegram.failNext("sendMessage", faults, new BotApiError(code, description, retryAfter));

        long started = System.nanoTime();
        Throwable failure = catchThrowable(() -> sender.send(chat, "sendMessage", client -> client.execute(hello(chat)))
                .await()
                .atMost(AWAIT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(calls(chat)).as("calls that reached Telegram").hasSize(calls);
        assertThat(took)
                .as("waited in place")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(waitsSeconds))
                .isLessThan(Duration.ofSeconds(waitsSeconds + 5L));
        assertThat(rateLimitedCount()).as("429s counted").isEqualTo(code == 429 ? Math.min(faults, calls) : 0);
        Duration asked = Duration.ofSeconds(retryAfter == null ? 1 : Math.max(1, retryAfter));
        switch (outcome) {
            case SENT -> {
                assertThat(failure).isNull();
                assertThat(telegram.botMessages(chat))
                        .singleElement()
                        .extracting(m -> m.text())
                        .isEqualTo("hello");
            }
            case HANDED_BACK -> {
                assertThat(failure).isInstanceOfSatisfying(Paced.class, paced -> {
                    assertThat(paced.wait).isEqualTo(asked);
                    assertThat(paced.providerCode).isEqualTo(429);
                });
                assertThat(throttle.reserveNow(chat))
                        .as("the chat is pushed back by retry_after")
                        .isNegative()
                        .isLessThanOrEqualTo(asked.minusMillis(500).negated());
            }
            default -> assertThat(failure).isInstanceOfSatisfying(TelegramFailure.class, refused -> {
                assertThat(refused.errorCode()).isEqualTo(code);
                assertThat(refused.method()).isEqualTo("sendMessage");
                assertThat(refused.description()).isEqualTo(description);
                assertThat(refused.rateLimited()).isEqualTo(outcome == Outcome.RATE_LIMITED);
                assertThat(refused.retryAfter()).isEqualTo(outcome == Outcome.RATE_LIMITED ? asked : null);
                assertThat(refused.blocked()).isEqualTo(outcome == Outcome.BLOCKED);
                assertThat(refused.notModified()).isEqualTo(outcome == Outcome.NOT_MODIFIED);
                assertThat(refused.messageGone()).isEqualTo(outcome == Outcome.MESSAGE_GONE);
                assertThat(refused.tooLarge()).isEqualTo(outcome == Outcome.TOO_LARGE);
                assertThat(refused.answered()).isTrue();
            });
        }
        if (outcome != Outcome.SENT) {
            assertThat(telegram.botMessages(chat)).isEmpty();
        }
    }

    @Test
    void theThrottleSpacesAChatsSendsInPlaceAndHandsBackALongerWaitWithoutCallingTelegram() {
        long chat = newChat();
        ChatThrottle throttle = new ChatThrottle(Duration.ofMillis(500), 30, Duration.ofMillis(600), Clock.systemUTC());
        BotSender sender = sender(SendPolicy.handBack("test", throttle, Paced::new));

        // three sends at once: the first goes now, the second 500 ms later, the third would wait 1 s
        long started = System.nanoTime();
        var first = sender.send(chat, "sendMessage", client -> client.execute(hello(chat)))
                .subscribeAsCompletionStage();
        var second = sender.send(chat, "sendMessage", client -> client.execute(hello(chat)))
                .subscribeAsCompletionStage();
        var third = sender.send(chat, "sendMessage", client -> client.execute(hello(chat)))
                .subscribeAsCompletionStage();

        assertThat(first).succeedsWithin(AWAIT);
        assertThat(second).succeedsWithin(AWAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the second waited its turn in place")
                .isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(third)
                .failsWithin(AWAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(Paced.class, paced -> {
                    assertThat(paced.providerCode)
                            .as("our own spacing, not Telegram's 429")
                            .isNull();
                    assertThat(paced.wait).isGreaterThan(Duration.ofMillis(600));
                    assertThat(paced.getMessage()).contains(String.valueOf(chat));
                });
        assertThat(calls(chat)).hasSize(2);
        assertThat(rateLimitedCount()).isZero();
    }

    @Test
    void theBlockingCallRunsOnAWorkerThreadNotTheCallers() {
        long chat = newChat();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        BotSender sender = sender(SendPolicy.waitInPlace("test", 1, Duration.ZERO));

        Message sent = sender.send(chat, "sendMessage", client -> {
                    ranOn.set(Thread.currentThread());
                    return client.execute(hello(chat));
                })
                .await()
                .atMost(AWAIT);

        assertThat(sent.getText()).isEqualTo("hello");
        assertThat(ranOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void aCallThatGetsNoAnswerIsTriedAgainWhileCallsAreLeftAndItsFailureHoldsNoToken() {
        TelegramEmulator gone = new TelegramEmulator();
        gone.start(0);
        String deadUrl = gone.baseUrl();
        gone.close();
        List<Long> tries = new CopyOnWriteArrayList<>();
        TelegramClients dead = new TelegramClients(config(deadUrl));
        BotSender sender = new BotSender(
                dead.telegramClient(),
                dead,
                config(deadUrl),
                SendPolicy.waitInPlace("test", 2, Duration.ofSeconds(30)),
                registry);

        Throwable failure = catchThrowable(() -> sender.send(1L, "sendMessage", client -> {
                    tries.add(System.nanoTime());
                    return client.execute(hello(1L));
                })
                .await()
                .atMost(AWAIT));

        assertThat(tries).hasSize(2);
        assertThat(failure).isInstanceOfSatisfying(TelegramFailure.class, refused -> {
            assertThat(refused.answered()).isFalse();
            assertThat(refused.errorCode()).isNull();
            assertThat(refused.mayHaveArrived())
                    .as("the connection was refused: nothing reached Telegram")
                    .isFalse();
        });
        assertThat(failure.toString()).doesNotContain(telegram.token()).doesNotContain("TEST-TOKEN");
    }

    @Test
    void trySendLogsAFailureWithoutTheBotTokenAndEndsEmpty() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(BotSender.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
        try {
            BotSender sender = sender(SendPolicy.waitInPlace("test", 1, Duration.ZERO));

            Optional<Object> result = sender.trySend("sendMessage", client -> {
                        throw new TelegramApiException("Unable to execute sendMessage at " + telegram.baseUrl() + "/bot"
                                + telegram.token() + "/sendMessage: connection reset");
                    })
                    .await()
                    .atMost(AWAIT);

            assertThat(result).isEmpty();
            assertThat(logged)
                    .isNotEmpty()
                    .noneMatch(line -> line.contains(telegram.token()) || line.contains("TEST-TOKEN"));
            assertThat(String.join("\n", logged)).contains("sendMessage");
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void anUploadWhoseAnswerIsLostIsNotCalledAgainAndMayHaveArrived() {
        long chat = newChat();
        telegram.dropAnswerNext("sendMessage", 1);
        BotSender sender = sender(SendPolicy.waitInPlace("test", 3, Duration.ofSeconds(30)));

        Throwable failure = catchThrowable(
                () -> sender.upload(chat, "sendMessage", Duration.ofSeconds(10), client -> client.execute(hello(chat)))
                        .await()
                        .atMost(AWAIT));

        assertThat(failure).isInstanceOfSatisfying(TelegramFailure.class, lost -> {
            assertThat(lost.answered()).isFalse();
            assertThat(lost.mayHaveArrived()).isTrue();
        });
        assertThat(telegram.calls("sendMessage"))
                .filteredOn(c -> String.valueOf(chat).equals(c.param("chat_id")))
                .extracting(RecordedCall::status)
                .containsExactly(0);
        assertThat(telegram.botMessages(chat)).hasSize(1);
    }

    @Test
    void anUploadHasItsOwnLongerTimeoutWhileOtherCallsKeepTheConfiguredOne() {
        long chat = newChat();
        BotSender sender = sender(SendPolicy.waitInPlace("test", 1, Duration.ZERO));
        // the configured timeout is 5 s; the emulator answers after 7 s
        telegram.delayNext("sendMessage", 2, Duration.ofSeconds(7));

        Throwable usual = catchThrowable(() -> sender.send(chat, "sendMessage", client -> client.execute(hello(chat)))
                .await()
                .atMost(AWAIT));
        Message uploaded = sender.upload(
                        chat, "sendMessage", Duration.ofSeconds(40), client -> client.execute(hello(chat)))
                .await()
                .atMost(Duration.ofSeconds(60));

        assertThat(usual)
                .isInstanceOfSatisfying(TelegramFailure.class, timedOut -> assertThat(timedOut.mayHaveArrived())
                        .as("timed out after the call was written")
                        .isTrue());
        assertThat(uploaded.getText()).isEqualTo("hello");
    }

    @ParameterizedTest(name = "{0} may have arrived: {1}")
    @CsvSource({"400, false", "403, false", "500, false", "503, false", "502, true", "504, true"})
    void whichAnswersMeanTheCallMayHaveBeenCarriedOut(int code, boolean mayHaveArrived) {
        assertThat(new TelegramFailure("sendVideo", code, "x", null).mayHaveArrived())
                .isEqualTo(mayHaveArrived);
    }

    private BotSender sender(SendPolicy policy) {
        TelegramConfig config = config(telegram.baseUrl());
        TelegramClients clients = new TelegramClients(config);
        return new BotSender(clients.telegramClient(), clients, config, policy, registry);
    }

    private double rateLimitedCount() {
        return registry.counter(TelegramMetrics.RATE_LIMITED, TelegramMetrics.SENDER, "test")
                .count();
    }

    private static long newChat() {
        long user = USERS.incrementAndGet();
        telegram.user(user).sendText("/start");
        return user;
    }

    private static SendMessage hello(long chat) {
        return SendMessage.builder().chatId(chat).text("hello").build();
    }

    private static List<RecordedCall> calls(long chat) {
        return telegram.calls("sendMessage").stream()
                .filter(c -> String.valueOf(chat).equals(c.param("chat_id")))
                .toList();
    }

    private static TelegramConfig config(String apiUrl) {
        return new TestTelegramConfig(telegram.token(), apiUrl, 20L * 1024 * 1024);
    }
}
