package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UploadsAndResultsTest extends KieTestBase {

    @Test
    void base64UploadAcceptsPlainAndDataUrls() {
        String plain = Base64.getEncoder().encodeToString(KieHttp.png());
        KieHttp.Reply a = http.post(
                "/api/file-base64-upload",
                new JsonObject().put("base64Data", plain).put("fileName", "a.png"));
        assertThat(a.code()).isEqualTo(200);
        assertThat(a.data().getString("mimeType")).isEqualTo("image/png");
        KieHttp.Reply b = http.post(
                "/api/file-base64-upload",
                new JsonObject()
                        .put("base64Data", "data:image/png;base64," + plain)
                        .put("uploadPath", "p"));
        assertThat(b.data().getString("filePath")).startsWith("p/").endsWith(".png");
        assertThat(http.download(b.data().getString("downloadUrl")).body()).isEqualTo(KieHttp.png());
        assertThat(http.post("/api/file-base64-upload", new JsonObject().put("base64Data", "%%%"))
                        .code())
                .isEqualTo(400);
    }

    @Test
    void urlUploadFetchesTheSource() {
        String source = uploadPhoto();
        KieHttp.Reply r = http.post(
                "/api/file-url-upload", new JsonObject().put("fileUrl", source).put("fileName", "copy.png"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(http.download(r.data().getString("downloadUrl")).body()).isEqualTo(KieHttp.png());
        KieHttp.Reply missing =
                http.post("/api/file-url-upload", new JsonObject().put("fileUrl", kie.baseUrl() + "/files/none"));
        assertThat(missing.code()).isEqualTo(400);
        assertThat(missing.json().getBoolean("success")).isFalse();
        assertThat(kie.uploads()).extracting(KieRecords.ReceivedUpload::kind).containsExactly("stream", "url", "url");
    }

    @Test
    void streamUploadWithoutFileIs400AndSameNameOverwrites() {
        assertThat(http.post("/api/file-stream-upload", "{}").code()).isEqualTo(400);
        http.streamUpload("same.png", "dir", KieHttp.png(), "image/png");
        KieHttp.Reply second = http.streamUpload("same.png", "dir", "v2".getBytes(), "text/plain");
        assertThat(http.download(second.data().getString("downloadUrl")).body()).isEqualTo("v2".getBytes());
        assertThat(kie.uploadedBytes("dir/same.png")).isEqualTo("v2".getBytes());
    }

    @Test
    void uploadsExpireAfterTheRetention() {
        String url = uploadPhoto();
        assertThat(http.download(url).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofDays(3));
        assertThat(http.download(url).statusCode()).isEqualTo(404);
    }

    @Test
    void resultOfAChosenSizeIsAValidMp4PaddedWithAFreeBox() throws Exception {
        String taskId = http.veoGenerate("A mug [kie:polls=0,size=25MB]").data().getString("taskId");
        String url = pollUntilDone(taskId)
                .getJsonObject("response")
                .getJsonArray("resultUrls")
                .getString(0);
        HttpResponse<InputStream> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(25L * 1024 * 1024);
        byte[] sample = Mp4Files.sample();
        long total;
        byte[] head;
        try (InputStream in = r.body()) {
            head = in.readNBytes(sample.length + 8);
            total = head.length + in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(total).isEqualTo(25L * 1024 * 1024);
        assertThat(Arrays.copyOf(head, sample.length)).isEqualTo(sample);
        assertThat(new String(head, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        long freeSize = ((head[sample.length] & 0xFFL) << 24)
                | ((head[sample.length + 1] & 0xFFL) << 16)
                | ((head[sample.length + 2] & 0xFFL) << 8)
                | (head[sample.length + 3] & 0xFFL);
        assertThat(freeSize).isEqualTo(25L * 1024 * 1024 - sample.length);
        assertThat(new String(head, sample.length + 4, 4, StandardCharsets.US_ASCII))
                .isEqualTo("free");
    }

    @Test
    void sixtyMegabyteResultHeadReportsItsSize() throws Exception {
        String taskId = http.veoGenerate("A mug [kie:polls=0,size=60MB]").data().getString("taskId");
        String url = pollUntilDone(taskId)
                .getJsonObject("response")
                .getJsonArray("resultUrls")
                .getString(0);
        HttpResponse<Void> head = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(60L * 1024 * 1024);
    }

    @Test
    void resultsOfUnfinishedTasksAreNotServed() {
        String taskId = http.veoGenerate("A mug [kie:polls=5]").data().getString("taskId");
        assertThat(http.download(kie.baseUrl() + "/results/" + taskId + "/0.mp4")
                        .statusCode())
                .isEqualTo(404);
    }
}
