package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.util.LongPollingSingleThreadUpdateConsumer;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** The real telegrambots 9.x client against the emulator: what the gateway and the delivery stage will do. */
class TelegramClientCompatibilityTest {

    static TelegramEmulator telegram;
    static OkHttpTelegramClient client;
    static TelegramUrl url;

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed())
                .start(0);
        url = new TelegramUrl("http", "127.0.0.1", telegram.port(), false);
        client = new OkHttpTelegramClient(telegram.token(), url);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @BeforeEach
    void reset() {
        telegram.reset();
    }

    @Test
    void getMeDeserialisesIntoTheLibrarysUser() throws Exception {
        var me = client.execute(new GetMe());
        assertThat(me.getIsBot()).isTrue();
        assertThat(me.getUserName()).isEqualTo("neurocards_test_bot");
        assertThat(me.getId()).isEqualTo(123456L);
    }

    @Test
    void longPollingReceivesAUsersTextAndACallbackQuery() throws Exception {
        List<Update> received = new CopyOnWriteArrayList<>();
        try (var app = new TelegramBotsLongPollingApplication()) {
            LongPollingSingleThreadUpdateConsumer consumer = received::add;
            // The generator gets the last update id seen; the offset to send is the next one.
            app.registerBot(
                    telegram.token(),
                    () -> url,
                    lastSeen ->
                            GetUpdates.builder().offset(lastSeen + 1).timeout(2).build(),
                    consumer);

            telegram.user(42).sendText("/start hello");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            Message text = received.get(0).getMessage();
            assertThat(text.getText()).isEqualTo("/start hello");
            assertThat(text.isCommand()).isTrue();
            assertThat(text.getChatId()).isEqualTo(42L);

            Message menu = client.execute(SendMessage.builder()
                    .chatId(42L)
                    .text("Pick a style")
                    .replyMarkup(InlineKeyboardMarkup.builder()
                            .keyboardRow(new InlineKeyboardRow(InlineKeyboardButton.builder()
                                    .text("Cinematic")
                                    .callbackData("style:cine")
                                    .build()))
                            .build())
                    .build());
            String queryId = telegram.user(42).press(menu.getMessageId(), "style:cine");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            var query = received.get(1).getCallbackQuery();
            assertThat(query.getId()).isEqualTo(queryId);
            assertThat(query.getData()).isEqualTo("style:cine");
            assertThat(query.getFrom().getId()).isEqualTo(42L);

            client.execute(AnswerCallbackQuery.builder()
                    .callbackQueryId(query.getId())
                    .text("Got it")
                    .build());
            assertThat(telegram.callbackQuery(queryId).orElseThrow().text()).isEqualTo("Got it");
            // The client confirms what it got with its next offset.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> telegram.pendingUpdates().isEmpty());
        }
        // Long polling held the calls: no busy loop.
        assertThat(telegram.calls("getUpdates")).hasSizeLessThan(10);
    }

    @Test
    void multipartSendVideoWithCaptionAndKeyboardLandsInTheChatHistory() throws Exception {
        telegram.user(7).sendText("/start");
        byte[] mp4 = SampleMedia.mp4(1080, 1920, 8, 200_000);

        Message sent = client.execute(SendVideo.builder()
                .chatId(7L)
                .video(new InputFile(new ByteArrayInputStream(mp4), "reel.mp4"))
                .caption("Your reel is ready")
                .supportsStreaming(true)
                .replyMarkup(InlineKeyboardMarkup.builder()
                        .keyboardRow(new InlineKeyboardRow(
                                InlineKeyboardButton.builder()
                                        .text("Again")
                                        .callbackData("again:1")
                                        .build(),
                                InlineKeyboardButton.builder()
                                        .text("Site")
                                        .url("https://example.com")
                                        .build()))
                        .build())
                .build());

        assertThat(sent.getVideo().getWidth()).isEqualTo(1080);
        assertThat(sent.getVideo().getHeight()).isEqualTo(1920);
        assertThat(sent.getVideo().getDuration()).isEqualTo(8);
        assertThat(sent.getCaption()).isEqualTo("Your reel is ready");

        ChatMessage stored = telegram.lastBotMessage(7).orElseThrow();
        assertThat(stored.kind()).isEqualTo("video");
        assertThat(stored.caption()).isEqualTo("Your reel is ready");
        assertThat(stored.buttons()).extracting(InlineButton::text).containsExactly("Again", "Site");
        assertThat(stored.buttons().get(0).callbackData()).isEqualTo("again:1");
        assertThat(telegram.fileBytes(stored.fileId())).hasValue(mp4);

        // Sending it again by file_id needs no upload.
        Message again = client.execute(SendVideo.builder()
                .chatId(7L)
                .video(new InputFile(sent.getVideo().getFileId()))
                .build());
        assertThat(again.getVideo().getFileUniqueId()).isEqualTo(sent.getVideo().getFileUniqueId());
    }

    @Test
    void aUsersPhotoDownloadsThroughGetFileAndTheConfiguredBaseUrl() throws Exception {
        byte[] photo = SampleMedia.jpeg(1200, 900);
        ChatMessage fromUser = telegram.user(9).sendPhoto(photo, "my product");
        String largest = fromUser.fileId();

        var file = client.execute(new GetFile(largest));
        assertThat(file.getFilePath()).startsWith("photos/");
        var download = new BotHttp(telegram)
                .get(url.getSchema() + "://" + url.getHost() + ":" + url.getPort() + "/file/bot" + telegram.token()
                        + "/" + file.getFilePath());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(photo);
        assertThat(fromUser.json().getJsonArray("photo")).hasSizeGreaterThan(1);
    }

    @Test
    void errorsReachTheClientAsTelegramApiRequestExceptions() {
        telegram.user(5).sendText("hi");
        telegram.user(5).blockBot();
        assertThatThrownBy(() -> client.execute(
                        SendMessage.builder().chatId(5L).text("hello?").build()))
                .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(403);
                    assertThat(e.getApiResponse()).isEqualTo("Forbidden: bot was blocked by the user");
                });
        telegram.failNext("sendMessage", 1, BotApiError.tooManyRequests(7));
        telegram.user(6).sendText("hi");
        assertThatThrownBy(() -> client.execute(
                        SendMessage.builder().chatId(6L).text("x").build()))
                .isInstanceOfSatisfying(TelegramApiRequestException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(429);
                    assertThat(e.getParameters().getRetryAfter()).isEqualTo(7);
                });
    }
}
