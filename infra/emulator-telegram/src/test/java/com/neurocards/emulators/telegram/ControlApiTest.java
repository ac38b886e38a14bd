package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP control API (what the browser chat page and out-of-process tests use), faults and reset. */
class ControlApiTest {

    static TelegramEmulator telegram;
    static BotHttp http;

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed())
                .start(0);
        http = new BotHttp(telegram);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @BeforeEach
    void reset() {
        assertThat(http.control("/control/reset", new JsonObject()).status()).isEqualTo(200);
    }

    @Test
    void aPersonChatsWithTheBotThroughTheControlApi() {
        var sent = http.control(
                "/control/chats/42/messages",
                new JsonObject().put("text", "/start").put("first_name", "Anna").put("language_code", "ru"));
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().getJsonObject("message").getJsonObject("from").getString("first_name"))
                .isEqualTo("Anna");
        JsonObject update = telegram.pendingUpdates().get(0).getJsonObject("message");
        assertThat(update.getJsonArray("entities").getJsonObject(0).getString("type"))
                .isEqualTo("bot_command");

        String photo = Base64.getEncoder().encodeToString(SampleMedia.png(400, 300));
        var photoSent = http.control(
                "/control/chats/42/photos",
                new JsonObject().put("base64", photo).put("caption", "sneakers"));
        assertThat(photoSent.body().getString("kind")).isEqualTo("photo");
        var doc = http.control(
                "/control/chats/42/documents",
                new JsonObject()
                        .put("base64", photo)
                        .put("file_name", "shoe.png")
                        .put("mime_type", "image/png"));
        assertThat(doc.body().getJsonObject("message").getJsonObject("document").getString("file_name"))
                .isEqualTo("shoe.png");

        JsonArray chats = new JsonArray(http.controlRaw("/control/chats"));
        assertThat(chats).hasSize(1);
        assertThat(chats.getJsonObject(0).getLong("chat_id")).isEqualTo(42L);

        String fileId = new JsonObject(http.controlRaw("/control/chats/42"))
                .getJsonArray("messages")
                .getJsonObject(1)
                .getJsonObject("message")
                .getJsonArray("photo")
                .getJsonObject(2)
                .getString("file_id");
        assertThat(http.get(telegram.baseUrl() + "/control/files/" + fileId).body())
                .isEqualTo(Base64.getDecoder().decode(photo));
        assertThat(http.control("/control/chats/42/photos", new JsonObject().put("base64", "bm90IGFuIGltYWdl"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void eventsSinceACursorLongPoll() throws Exception {
        http.control("/control/chats/7/messages", new JsonObject().put("text", "hi"));
        JsonObject first = new JsonObject(http.controlRaw("/control/events?since=0"));
        assertThat(first.getJsonArray("events")).hasSize(1);
        long cursor = first.getLong("cursor");

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(
                () -> http.controlRaw("/control/events?since=" + cursor + "&timeout_ms=5000"));
        Thread.sleep(150);
        assertThat(waiting).isNotDone();
        http.call("sendMessage", new JsonObject().put("chat_id", 7).put("text", "Hello from the bot"));
        JsonObject next = new JsonObject(waiting.get(5, TimeUnit.SECONDS));
        JsonObject event = next.getJsonArray("events").getJsonObject(0);
        assertThat(event.getString("type")).isEqualTo("bot_message");
        assertThat(event.getJsonObject("data").getJsonObject("message").getString("text"))
                .isEqualTo("Hello from the bot");
        assertThat(next.getLong("cursor")).isGreaterThan(cursor);
    }

    @Test
    void pressingAButtonWaitsForTheBotsAnswer() throws Exception {
        telegram.user(9).sendText("/start");
        int id = http.call(
                        "sendMessage",
                        new JsonObject()
                                .put("chat_id", 9)
                                .put("text", "Pick")
                                .put(
                                        "reply_markup",
                                        new JsonObject()
                                                .put(
                                                        "inline_keyboard",
                                                        new JsonArray()
                                                                .add(new JsonArray()
                                                                        .add(new JsonObject()
                                                                                .put("text", "A")
                                                                                .put("callback_data", "a"))))))
                .result()
                .getInteger("message_id");
        CompletableFuture<BotHttp.Answer> press = CompletableFuture.supplyAsync(() -> http.control(
                "/control/chats/9/press",
                new JsonObject().put("message_id", id).put("callback_data", "a").put("wait_ms", 3000)));
        await(() -> !telegram.callbackQueries(9).isEmpty());
        String queryId = telegram.callbackQueries(9).get(0).callbackQueryId();
        http.call(
                "answerCallbackQuery",
                new JsonObject().put("callback_query_id", queryId).put("text", "A chosen"));
        JsonObject answer = press.get(5, TimeUnit.SECONDS).body();
        assertThat(answer.getBoolean("answered")).isTrue();
        assertThat(answer.getString("text")).isEqualTo("A chosen");
        assertThat(http.control(
                                "/control/chats/9/press",
                                new JsonObject().put("message_id", id).put("callback_data", "zzz"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void payingAndBlockingThroughTheControlApi() {
        telegram.user(3).sendText("/buy");
        int invoice = http.call("sendInvoice", PaymentsTest.starsInvoice().put("chat_id", 3))
                .result()
                .getInteger("message_id");
        JsonObject pending = http.control("/control/chats/3/pay", new JsonObject().put("message_id", invoice))
                .body();
        assertThat(pending.getString("status")).isEqualTo("PENDING");
        http.call(
                "answerPreCheckoutQuery",
                new JsonObject()
                        .put("pre_checkout_query_id", pending.getString("pre_checkout_query_id"))
                        .put("ok", true));
        JsonObject paid =
                new JsonObject(http.controlRaw("/control/payments/" + pending.getString("pre_checkout_query_id")));
        assertThat(paid.getString("status")).isEqualTo("PAID");
        assertThat(http.control(
                                "/control/payments/" + paid.getString("telegram_payment_charge_id") + "/duplicate",
                                new JsonObject())
                        .status())
                .isEqualTo(200);

        http.control("/control/chats/3/block", new JsonObject());
        assertThat(http.call("sendMessage", new JsonObject().put("chat_id", 3).put("text", "x"))
                        .status())
                .isEqualTo(403);
        http.control("/control/chats/3/unblock", new JsonObject());
        assertThat(http.call("sendMessage", new JsonObject().put("chat_id", 3).put("text", "x"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void faultsFailTheNextCallsThenTheMethodRecovers() {
        telegram.user(1).sendText("/start");
        http.control(
                "/control/faults",
                new JsonObject().put("method", "sendMessage").put("times", 2).put("error_code", 500));
        http.control(
                "/control/faults",
                new JsonObject()
                        .put("method", "sendVideo")
                        .put("error_code", 429)
                        .put("retry_after", 12));
        JsonObject text = new JsonObject().put("chat_id", 1).put("text", "x");
        var failed = http.call("sendmessage", text);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body())
                .isEqualTo(new JsonObject()
                        .put("ok", false)
                        .put("error_code", 500)
                        .put("description", "Internal Server Error"));
        assertThat(http.call("sendMessage", text).status()).isEqualTo(500);
        assertThat(http.call("sendMessage", text).status()).isEqualTo(200);
        var throttled =
                http.call("sendVideo", new JsonObject().put("chat_id", 1).put("video", "x"));
        assertThat(throttled.body().getJsonObject("parameters").getInteger("retry_after"))
                .isEqualTo(12);
        assertThat(telegram.botMessages(1)).hasSize(1);

        telegram.failNext("*", 1, BotApiError.blockedByUser());
        assertThat(http.call("getMe", new JsonObject()).status()).isEqualTo(403);
        telegram.delayNext("getMe", 1, Duration.ofMillis(300));
        long started = System.nanoTime();
        assertThat(http.call("getMe", new JsonObject()).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        JsonArray calls = new JsonArray(http.controlRaw("/control/calls?method=sendMessage"));
        assertThat(calls).extracting(c -> ((JsonObject) c).getInteger("status")).containsExactly(500, 500, 200);
    }

    @Test
    void aDroppedAnswerLeavesTheMessageInTheChatAndClosesTheConnectionWithoutAResponse() {
        telegram.user(1).sendText("/start");
        http.control(
                "/control/faults",
                new JsonObject().put("method", "sendMessage").put("times", 1).put("drop_answer", true));
        JsonObject text = new JsonObject().put("chat_id", 1).put("text", "lost answer");

        assertThatThrownBy(() -> http.call("sendMessage", text))
                .as("no HTTP answer at all")
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(telegram.botMessages(1)).extracting(ChatMessage::text).containsExactly("lost answer");
        assertThat(http.call("sendMessage", text).status()).isEqualTo(200);
        assertThat(telegram.botMessages(1)).hasSize(2);
        assertThat(telegram.calls("sendMessage"))
                .extracting(RecordedCall::status)
                .containsExactly(0, 200);
    }

    @Test
    void theQuarkusResourcePointsTheAppAtTheEmulator() {
        var resource = new TelegramEmulatorResource();
        var config = resource.start();
        try {
            assertThat(config.get("TELEGRAM_API_URL")).startsWith("http://127.0.0.1:");
            assertThat(config.get("TELEGRAM_BOT_TOKEN")).isEqualTo(TelegramEmulator.DEFAULT_TOKEN);
            assertThat(new TelegramEmulator().maskedToken()).isEqualTo("123456:***");
        } finally {
            resource.stop();
        }
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
    }
}
