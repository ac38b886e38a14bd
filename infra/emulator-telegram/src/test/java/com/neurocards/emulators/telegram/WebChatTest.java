package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browser chat page and what it needs from the emulator: its assets, file streaming with byte ranges, cursors. */
class WebChatTest {

    static TelegramEmulator telegram;
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed())
                .start(0);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @Test
    void thePageAndItsAssetsAreServedWithTheirContentTypes() {
        HttpResponse<byte[]> page = get("/chat/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/html").containsIgnoringCase("charset=utf-8"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<script type=\"module\" src=\"chat.js\"></script>")
                .contains("href=\"chat.css\"")
                .contains("role=\"log\"")
                .contains("aria-live=\"polite\"");
        assertThat(telegram.chatPageUrl()).isEqualTo(telegram.baseUrl() + "/chat/");

        HttpResponse<byte[]> script = get("/chat/chat.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).matches("(application|text)/javascript.*"));
        assertThat(new String(script.body(), StandardCharsets.UTF_8)).contains("/control/events");

        HttpResponse<byte[]> css = get("/chat/chat.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));

        assertThat(get("/chat/nothing-here.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theRootAndChatWithoutSlashLeadToThePage() {
        HttpResponse<byte[]> root = get("/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/chat/");
        HttpResponse<byte[]> chat = get("/chat", null);
        assertThat(chat.statusCode()).isEqualTo(302);
        assertThat(chat.headers().firstValue("Location")).hasValue("/chat/");
    }

    @Test
    void filesStreamWithByteRangesSoVideosCanPlayAndSeek() throws Exception {
        byte[] mp4 = SampleMedia.mp4(720, 1280, 8, 5000);
        String fileId = telegram.user(77)
                .sendDocument(mp4, "clip.mp4", "video/mp4", null)
                .fileId();
        String path = "/control/files/" + fileId;
        int size = mp4.length;

        HttpResponse<byte[]> whole = get(path, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(Integer.toString(size));
        assertThat(whole.body()).isEqualTo(mp4);

        HttpResponse<byte[]> first = get(path, "bytes=0-99");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + size);
        assertThat(first.headers().firstValue("Content-Length")).hasValue("100");
        assertThat(first.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(mp4, 0, 100));

        HttpResponse<byte[]> open = get(path, "bytes=100-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 100-" + (size - 1) + "/" + size);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(mp4, 100, size));

        HttpResponse<byte[]> suffix = get(path, "bytes=-10");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range"))
                .hasValue("bytes " + (size - 10) + "-" + (size - 1) + "/" + size);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(mp4, size - 10, size));

        HttpResponse<byte[]> pastTheEnd = get(path, "bytes=" + (size - 5) + "-" + (size + 1000));
        assertThat(pastTheEnd.statusCode()).isEqualTo(206);
        assertThat(pastTheEnd.body()).isEqualTo(Arrays.copyOfRange(mp4, size - 5, size));

        HttpResponse<byte[]> unsatisfiable = get(path, "bytes=" + size + "-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.headers().firstValue("Content-Range")).hasValue("bytes */" + size);

        HttpResponse<byte[]> several = get(path, "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(mp4);

        HttpResponse<byte[]> head = HTTP.send(
                HttpRequest.newBuilder(URI.create(telegram.baseUrl() + path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Range", "bytes=0-9")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + size);
        assertThat(head.body()).isEmpty();

        assertThat(get("/control/files/no-such-file", "bytes=0-1").statusCode()).isEqualTo(404);
    }

    @Test
    void rangeHeadersAreParsedAsRfc9110Says() {
        assertThat(FileResponses.parse("bytes=0-0", 10)).isEqualTo(new FileResponses.Range(0, 0));
        assertThat(FileResponses.parse("bytes=-100", 10)).isEqualTo(new FileResponses.Range(0, 9));
        assertThat(FileResponses.parse("bytes=5-2", 10)).isNull();
        assertThat(FileResponses.parse("items=0-1", 10)).isNull();
        assertThat(FileResponses.parse("bytes=-", 10)).isNull();
        assertThat(FileResponses.parse("bytes=99999999999999999999-", 10)).isNull();
    }

    @Test
    void aReaderLearnsTheCursorAndWhenToStartOver() {
        telegram.user(78).sendText("hello");
        JsonObject now =
                new JsonObject(new String(get("/control/events/cursor", null).body(), StandardCharsets.UTF_8));
        assertThat(now.getLong("cursor")).isEqualTo(telegram.eventCursor());
        JsonObject events = new JsonObject(
                new String(get("/control/events?since=0&chat_id=78", null).body(), StandardCharsets.UTF_8));
        assertThat(events.getString("instance")).isEqualTo(now.getString("instance"));

        telegram.reset();
        JsonObject after =
                new JsonObject(new String(get("/control/events/cursor", null).body(), StandardCharsets.UTF_8));
        assertThat(after.getString("instance")).isNotEqualTo(now.getString("instance"));
    }

    private static HttpResponse<byte[]> get(String path, String range) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(telegram.baseUrl() + path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
