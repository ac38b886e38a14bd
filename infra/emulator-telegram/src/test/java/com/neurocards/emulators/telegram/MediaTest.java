package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads, URLs the emulator fetches, file_ids, getFile and downloads, with Telegram's size limits. */
class MediaTest {

    static TelegramEmulator telegram;
    static BotHttp http;
    static Vertx vertx;
    static HttpServer files;
    static final byte[] SMALL_JPEG = SampleMedia.jpeg(640, 480);

    @BeforeAll
    static void start() throws Exception {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed())
                .start(0);
        http = new BotHttp(telegram);
        vertx = Vertx.vertx();
        // A file host for the URL tests: /small.jpg, /big.jpg (6 MB, over the 5 MB photo cap), /page.html
        byte[] big = new byte[6 * 1024 * 1024];
        files = vertx.createHttpServer()
                .requestHandler(req -> {
                    switch (req.path()) {
                        case "/small.jpg" -> req.response()
                                .putHeader("Content-Type", "image/jpeg")
                                .end(Buffer.buffer(SMALL_JPEG));
                        case "/big.jpg" -> req.response()
                                .putHeader("Content-Type", "image/jpeg")
                                .end(Buffer.buffer(big));
                        case "/page.html" -> req.response()
                                .putHeader("Content-Type", "text/html")
                                .end("<html></html>");
                        case "/reel.mp4" -> req.response()
                                .putHeader("Content-Type", "video/mp4")
                                .end(Buffer.buffer(SampleMedia.mp4(720, 1280, 5, 1000)));
                        default -> req.response().setStatusCode(404).end();
                    }
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        telegram.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        telegram.reset();
        telegram.user(42).sendText("/start");
    }

    static String url(String path) {
        return "http://127.0.0.1:" + files.actualPort() + path;
    }

    static JsonObject to42() {
        return new JsonObject().put("chat_id", 42);
    }

    @Test
    void aPhotoUploadGetsTelegramsSizesAndItsFileIdsWork() {
        JsonObject message = http.multipart(
                        "sendPhoto", Map.of("chat_id", "42"), "photo", "p.png", SampleMedia.png(1600, 1200))
                .result();
        var sizes = message.getJsonArray("photo");
        assertThat(sizes).hasSize(4);
        JsonObject largest = sizes.getJsonObject(3);
        assertThat(largest.getInteger("width")).isEqualTo(1600);
        assertThat(largest.getInteger("height")).isEqualTo(1200);
        assertThat(sizes.getJsonObject(0).getInteger("width")).isEqualTo(90);
        assertThat(largest.getString("file_unique_id")).isNotBlank();
        assertThat(largest.getLong("file_size")).isPositive();

        JsonObject resent = http.call(
                        "sendPhoto", to42().put("photo", sizes.getJsonObject(0).getString("file_id")))
                .result();
        assertThat(resent.getJsonArray("photo")).isEqualTo(sizes);
        assertThat(http.call("sendVideo", to42().put("video", largest.getString("file_id")))
                        .description())
                .isEqualTo("Bad Request: wrong file identifier/HTTP URL specified");
    }

    @Test
    void urlsAreFetchedWithTheirCaps() {
        JsonObject photo =
                http.call("sendPhoto", to42().put("photo", url("/small.jpg"))).result();
        String fileId = photo.getJsonArray("photo")
                .getJsonObject(photo.getJsonArray("photo").size() - 1)
                .getString("file_id");
        assertThat(telegram.fileBytes(fileId)).hasValue(SMALL_JPEG);

        assertThat(http.call("sendPhoto", to42().put("photo", url("/big.jpg"))).description())
                .isEqualTo("Bad Request: failed to get HTTP URL content");
        assertThat(http.call("sendPhoto", to42().put("photo", url("/page.html")))
                        .description())
                .isEqualTo("Bad Request: wrong type of the web page content");
        assertThat(http.call("sendPhoto", to42().put("photo", url("/missing.jpg")))
                        .description())
                .isEqualTo("Bad Request: failed to get HTTP URL content");
        // 6 MB is fine for a document (20 MB cap by URL)
        assertThat(http.call("sendDocument", to42().put("document", url("/big.jpg")))
                        .result()
                        .getJsonObject("document")
                        .getLong("file_size"))
                .isEqualTo(6 * 1024 * 1024);
        JsonObject video = http.call("sendVideo", to42().put("video", url("/reel.mp4")))
                .result()
                .getJsonObject("video");
        assertThat(video.getInteger("width")).isEqualTo(720);
        assertThat(video.getInteger("duration")).isEqualTo(5);
    }

    @Test
    void anUploadOver50MegabytesIs413() {
        byte[] tooBig = new byte[50 * 1024 * 1024 + 1024 * 1024];
        var answer = http.multipart("sendVideo", Map.of("chat_id", "42"), "video", "huge.mp4", tooBig);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body())
                .isEqualTo(new JsonObject()
                        .put("ok", false)
                        .put("error_code", 413)
                        .put("description", "Request Entity Too Large"));
        assertThat(telegram.botMessages(42)).isEmpty();
    }

    @Test
    void getFileRefusesFilesOver20MegabytesAndServesTheOthers() {
        ChatMessage big = telegram.user(42).sendDocument(new byte[21 * 1024 * 1024], "product.png", "image/png", null);
        var refused = http.call("getFile", new JsonObject().put("file_id", big.fileId()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.description()).isEqualTo("Bad Request: file is too big");

        ChatMessage small = telegram.user(42).sendDocument(SMALL_JPEG, "product.jpg", "image/jpeg", "as a file");
        assertThat(small.json().getJsonObject("document").getString("mime_type"))
                .isEqualTo("image/jpeg");
        JsonObject file = http.call("getFile", new JsonObject().put("file_id", small.fileId()))
                .result();
        assertThat(file.getString("file_path"))
                .isEqualTo(telegram.file(small.fileId()).orElseThrow().filePath());
        var download = http.get(telegram.fileUrl(file.getString("file_path")));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(SMALL_JPEG);
        assertThat(http.get(telegram.baseUrl() + "/file/bot" + telegram.token() + "/documents/unknown.bin")
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.get(telegram.baseUrl() + "/file/bot1:WRONG/" + file.getString("file_path"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void usersSendStickersAndVoice() {
        assertThat(telegram.user(42)
                        .sendSticker("🔥")
                        .json()
                        .getJsonObject("sticker")
                        .getString("emoji"))
                .isEqualTo("🔥");
        assertThat(telegram.user(42).sendVoice(4).json().getJsonObject("voice").getInteger("duration"))
                .isEqualTo(4);
        assertThat(telegram.pendingUpdates()).hasSize(3);
    }
}
