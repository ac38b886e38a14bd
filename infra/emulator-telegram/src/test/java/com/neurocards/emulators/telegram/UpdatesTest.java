package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** getUpdates long polling, offsets, conflicts, allowed_updates, and webhook delivery. */
class UpdatesTest {

    static TelegramEmulator telegram;
    static BotHttp http;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN,
                        TelegramEmulator.DEFAULT_USERNAME,
                        Limits.relaxed().toBuilder()
                                .webhookRetryDelay(Duration.ofMillis(50))
                                .build())
                .start(0);
        http = new BotHttp(telegram);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        telegram.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        telegram.reset();
    }

    static JsonObject poll(long offset, int timeout) {
        return new JsonObject().put("offset", offset).put("timeout", timeout);
    }

    @Test
    void aLongPollWaitsForTheNextUpdate() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<BotHttp.Answer> poll =
                CompletableFuture.supplyAsync(() -> http.call("getUpdates", poll(0, 5)));
        Thread.sleep(200);
        assertThat(poll).isNotDone();
        telegram.user(1).sendText("hello");
        JsonArray updates = poll.get(5, TimeUnit.SECONDS).body().getJsonArray("result");
        assertThat(updates).hasSize(1);
        assertThat(updates.getJsonObject(0).getJsonObject("message").getString("text"))
                .isEqualTo("hello");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aLongPollWithNothingToSayEndsAtItsTimeout() {
        long started = System.nanoTime();
        assertThat(http.call("getUpdates", poll(0, 1)).body().getJsonArray("result"))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    @Test
    void anOffsetConfirmsAndDropsEarlierUpdatesAndLimitCaps() {
        telegram.user(1).sendText("a");
        telegram.user(1).sendText("b");
        telegram.user(1).sendText("c");
        JsonArray first =
                http.call("getUpdates", new JsonObject().put("limit", 2)).body().getJsonArray("result");
        assertThat(first).hasSize(2);
        long lastId = first.getJsonObject(1).getLong("update_id");
        assertThat(http.call("getUpdates", new JsonObject()).body().getJsonArray("result"))
                .hasSize(3);
        JsonArray rest = http.call("getUpdates", poll(lastId + 1, 0)).body().getJsonArray("result");
        assertThat(rest).hasSize(1);
        assertThat(rest.getJsonObject(0).getJsonObject("message").getString("text"))
                .isEqualTo("c");
        assertThat(telegram.pendingUpdates()).hasSize(1);
    }

    @Test
    void aSecondGetUpdatesTerminatesTheWaitingOne() throws Exception {
        CompletableFuture<BotHttp.Answer> first =
                CompletableFuture.supplyAsync(() -> http.call("getUpdates", poll(0, 5)));
        await().until(() -> telegram.calls("getUpdates").size() == 1);
        Thread.sleep(100);
        CompletableFuture<BotHttp.Answer> second =
                CompletableFuture.supplyAsync(() -> http.call("getUpdates", poll(0, 1)));
        BotHttp.Answer terminated = first.get(5, TimeUnit.SECONDS);
        assertThat(terminated.status()).isEqualTo(409);
        assertThat(terminated.description()).isEqualTo("Conflict: terminated by other getUpdates request");
        assertThat(second.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void allowedUpdatesFilters() {
        telegram.user(1).sendText("text");
        telegram.user(1).blockBot();
        JsonArray onlyMembers = http.call(
                        "getUpdates", new JsonObject().put("allowed_updates", new JsonArray().add("my_chat_member")))
                .body()
                .getJsonArray("result");
        assertThat(onlyMembers).hasSize(1);
        assertThat(onlyMembers.getJsonObject(0).containsKey("my_chat_member")).isTrue();
    }

    @Test
    void getUpdatesConflictsWithAWebhookAndTheWebhookGetsUpdatesWithTheSecretAndRetries() throws Exception {
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        List<String> secrets = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    secrets.add(req.getHeader(WebhookSender.SECRET_HEADER));
                    if (attempts.incrementAndGet() == 1) {
                        req.response().setStatusCode(500).end(); // the first delivery fails: Telegram sends it again
                    } else {
                        received.add(body.toJsonObject());
                        req.response().end();
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        try {
            assertThat(http.call(
                                    "setWebhook",
                                    new JsonObject()
                                            .put("url", "http://127.0.0.1:" + server.actualPort() + "/tg")
                                            .put("secret_token", "s3cr3t_-X"))
                            .status())
                    .isEqualTo(200);
            var conflict = http.call("getUpdates", new JsonObject());
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.description())
                    .isEqualTo("Conflict: can't use getUpdates method while webhook is active;"
                            + " use deleteWebhook to delete the webhook first");

            telegram.user(5).sendText("via webhook");
            telegram.user(5).sendText("second");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            assertThat(received)
                    .extracting(u -> u.getJsonObject("message").getString("text"))
                    .containsExactly("via webhook", "second");
            assertThat(secrets).containsOnly("s3cr3t_-X");
            assertThat(attempts.get()).isEqualTo(3);
            JsonObject info = http.call("getWebhookInfo", new JsonObject()).result();
            assertThat(info.getString("last_error_message"))
                    .isEqualTo("Wrong response from the webhook: 500 Internal Server Error");
            assertThat(info.getInteger("pending_update_count")).isZero();

            assertThat(http.call(
                                    "setWebhook",
                                    new JsonObject().put("url", "http://x/").put("secret_token", "bad secret!"))
                            .description())
                    .isEqualTo("Bad Request: secret token contains unallowed characters");
            assertThat(http.call("deleteWebhook", new JsonObject()).status()).isEqualTo(200);
            assertThat(http.call("getUpdates", new JsonObject()).status()).isEqualTo(200);
        } finally {
            server.close();
        }
    }
}
