package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VeoFlowTest extends KieTestBase {

    @Test
    void uploadGeneratePollAndDownloadARealMp4() {
        KieHttp.Reply upload = http.streamUpload("mug.png", "neurocards/photos", KieHttp.png(), "image/png");
        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.json().getBoolean("success")).isTrue();
        assertThat(upload.msg()).isEqualTo("File uploaded successfully");
        JsonObject file = upload.data();
        assertThat(file.getString("fileName")).isEqualTo("mug.png");
        assertThat(file.getString("filePath")).isEqualTo("neurocards/photos/mug.png");
        assertThat(file.getString("mimeType")).isEqualTo("image/png");
        assertThat(file.getLong("fileSize")).isEqualTo(KieHttp.png().length);
        String downloadUrl = file.getString("downloadUrl");
        assertThat(http.download(downloadUrl).body()).isEqualTo(KieHttp.png());

        long creditsBefore = kie.credits();
        KieHttp.Reply create = http.veoGenerate("Slow push-in on a ceramic mug", downloadUrl);
        assertThat(create.status()).isEqualTo(200);
        assertThat(create.code()).isEqualTo(200);
        String taskId = create.data().getString("taskId");
        assertThat(taskId).matches("veo_task_[0-9a-f]{16}");
        assertThat(kie.credits()).isEqualTo(creditsBefore - 60);

        await().until(() -> kie.task(taskId).imageCheck() == KieTask.ImageCheck.OK);
        JsonObject first = http.recordInfo(taskId).data();
        assertThat(first.getInteger("successFlag")).isZero();
        assertThat(first.getValue("response")).isNull();
        assertThat(first.getString("createTime")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(new JsonObject(first.getString("paramJson")).getString("prompt"))
                .isEqualTo("Slow push-in on a ceramic mug");
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isZero();

        JsonObject done = http.recordInfo(taskId).data();
        assertThat(done.getInteger("successFlag")).isEqualTo(1);
        assertThat(done.getValue("errorCode")).isNull();
        JsonObject response = done.getJsonObject("response");
        assertThat(response.getString("resolution")).isEqualTo("720p");
        assertThat(response.getJsonArray("originUrls")).hasSize(1); // ratio is not 16:9
        String video = response.getJsonArray("resultUrls").getString(0);

        HttpResponse<byte[]> mp4 = http.download(video);
        assertThat(mp4.statusCode()).isEqualTo(200);
        assertThat(mp4.headers().firstValue("Content-Type")).contains("video/mp4");
        assertThat(new String(Arrays.copyOfRange(mp4.body(), 4, 8), StandardCharsets.US_ASCII))
                .isEqualTo("ftyp");
        assertThat(mp4.body()).isEqualTo(Mp4Files.sample());
        assertThat(mp4.body().length).isLessThan(200 * 1024);
        assertThat(kie.polls(taskId)).hasSize(3);
        assertThat(kie.uploads()).hasSize(1);
        assertThat(kie.leakedSecrets()).isEmpty();
    }

    @Test
    void aScriptedResultUrlIsWhatTheTaskReportsAsItsResult() {
        kie.scriptNextCreate(KieOutcome.success().withResultUrl("https://169.254.169.254/latest/meta-data/"));
        String taskId = http.veoGenerate("A mug [kie:polls=0]").data().getString("taskId");

        JsonObject done = pollUntilDone(taskId);
        assertThat(done.getInteger("successFlag")).isEqualTo(1);
        assertThat(done.getJsonObject("response").getJsonArray("resultUrls").getString(0))
                .isEqualTo("https://169.254.169.254/latest/meta-data/");
        assertThat(KieOutcome.fromJson(new JsonObject().put("type", "success").put("resultUrl", "http://x/y"))
                        .resultUrl())
                .isEqualTo("http://x/y");
    }

    @Test
    void hdVideoIsProcessingFirstThenReady() {
        String taskId = http.veoGenerate("A mug [kie:polls=1]").data().getString("taskId");
        assertThat(http.get("/api/v1/veo/get-1080p-video?taskId=" + taskId + "&index=0")
                        .msg())
                .isEqualTo(KieMessages.RECORD_NOT_SUCCESS);
        assertThat(pollUntilDone(taskId).getInteger("successFlag")).isEqualTo(1);

        KieHttp.Reply processing = http.get("/api/v1/veo/get-1080p-video?taskId=" + taskId + "&index=0");
        assertThat(processing.status()).isEqualTo(200);
        assertThat(processing.code()).isEqualTo(400);
        assertThat(processing.msg()).isEqualTo("1080P is processing. It should be ready in 1-2 minutes");
        KieHttp.Reply ready = http.get("/api/v1/veo/get-1080p-video?taskId=" + taskId + "&index=0");
        assertThat(ready.code()).isEqualTo(200);
        String url = ready.data().getString("resultUrl");
        assertThat(url).endsWith("/1080p.mp4");
        assertThat(http.download(url).statusCode()).isEqualTo(200);
    }

    @Test
    void textToVideoNeedsNoImageAndDefaultsTo16by9() {
        KieHttp.Reply r =
                http.post("/api/v1/veo/generate", new JsonObject().put("prompt", "A mug on a table [kie:polls=0]"));
        String taskId = r.data().getString("taskId");
        assertThat(kie.task(taskId).aspectRatio()).isEqualTo("16:9");
        assertThat(kie.task(taskId).model()).isEqualTo("veo3_fast");
        JsonObject done = pollUntilDone(taskId);
        assertThat(done.getJsonObject("response").getValue("originUrls")).isNull();
    }

    @Test
    void bothAspectRatioSpellingsAreAccepted() {
        String snake = http.post(
                        "/api/v1/veo/generate",
                        new JsonObject().put("prompt", "p").put("aspect_ratio", "9:16"))
                .data()
                .getString("taskId");
        String camel = http.post(
                        "/api/v1/veo/generate",
                        new JsonObject().put("prompt", "p").put("aspectRatio", "9:16"))
                .data()
                .getString("taskId");
        assertThat(kie.task(snake).aspectRatio()).isEqualTo("9:16");
        assertThat(kie.task(camel).aspectRatio()).isEqualTo("9:16");
    }

    @Test
    void renderTimeFollowsTheEmulatorClock() {
        String taskId =
                http.veoGenerate("A mug [kie:polls=0,render=30s]").data().getString("taskId");
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isZero();
        kie.advanceClock(Duration.ofSeconds(31));
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isEqualTo(1);
    }

    @Test
    void recordsOlderThan14DaysAreGoneAndUnknownTasksAreNull() {
        String taskId = http.veoGenerate("A mug [kie:polls=0]").data().getString("taskId");
        pollUntilDone(taskId);
        KieHttp.Reply unknown = http.recordInfo("veo_task_doesnotexist");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.code()).isEqualTo(422);
        assertThat(unknown.msg()).isEqualTo("record is null");

        kie.advanceClock(Duration.ofDays(15));
        KieHttp.Reply old = http.recordInfo(taskId);
        assertThat(old.code()).isEqualTo(422);
        assertThat(old.msg()).isEqualTo("Temporarily supports records within 14 days");
    }
}
