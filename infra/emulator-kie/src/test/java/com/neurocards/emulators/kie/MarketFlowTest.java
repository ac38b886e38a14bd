package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketFlowTest extends KieTestBase {

    @Test
    void soraImageToVideoWithResultJsonString() {
        String photo = uploadPhoto();
        JsonObject body = new JsonObject()
                .put("model", "sora-2-image-to-video")
                .put(
                        "input",
                        new JsonObject()
                                .put("prompt", "The mug slowly rotates [kie:polls=3]")
                                .put("image_urls", new JsonArray(List.of(photo)))
                                .put("aspect_ratio", "portrait")
                                .put("n_frames", "10")
                                .put("remove_watermark", true));
        KieHttp.Reply create = http.post("/api/v1/jobs/createTask", body);
        assertThat(create.code()).isEqualTo(200);
        String taskId = create.data().getString("taskId");
        assertThat(taskId).matches("[0-9a-f]{32}");
        await().until(() -> kie.task(taskId).imageCheck() == KieTask.ImageCheck.OK);

        assertThat(recordInfo(taskId).getString("state")).isEqualTo("waiting");
        assertThat(recordInfo(taskId).getString("state")).isEqualTo("queuing");
        JsonObject generating = recordInfo(taskId);
        assertThat(generating.getString("state")).isEqualTo("generating");
        assertThat(generating.getValue("resultJson")).isNull();
        JsonObject done = recordInfo(taskId);
        assertThat(done.getString("state")).isEqualTo("success");
        assertThat(done.getString("model")).isEqualTo("sora-2-image-to-video");
        assertThat(new JsonObject(done.getString("param")).getString("model")).isEqualTo("sora-2-image-to-video");
        assertThat(done.getLong("createTime")).isPositive();
        assertThat(done.getInteger("creditsConsumed")).isEqualTo(30);
        assertThat(done.getValue("resultJson")).isInstanceOf(String.class);
        String url = new JsonObject(done.getString("resultJson"))
                .getJsonArray("resultUrls")
                .getString(0);
        byte[] mp4 = http.download(url).body();
        assertThat(new String(Arrays.copyOfRange(mp4, 4, 8), StandardCharsets.US_ASCII))
                .isEqualTo("ftyp");
    }

    @Test
    void marketFailureIsStateFailWithStringFailCode() {
        JsonObject body = new JsonObject()
                .put("model", "sora-2-text-to-video")
                .put("input", new JsonObject().put("prompt", "A mug [kie:fail=content,polls=0]"));
        String taskId = http.post("/api/v1/jobs/createTask", body).data().getString("taskId");
        JsonObject failed = recordInfo(taskId);
        assertThat(failed.getString("state")).isEqualTo("fail");
        assertThat(failed.getValue("failCode")).isEqualTo("400");
        assertThat(failed.getString("failMsg")).contains("flagged");
    }

    @Test
    void marketValidation() {
        KieHttp.Reply noModel = http.post(
                "/api/v1/jobs/createTask", new JsonObject().put("input", new JsonObject().put("prompt", "p")));
        assertThat(noModel.code()).isEqualTo(500);
        assertThat(noModel.msg()).isEqualTo("This field is required");
        assertThat(http.post(
                                "/api/v1/jobs/createTask",
                                new JsonObject()
                                        .put("model", "sora-9")
                                        .put("input", new JsonObject().put("prompt", "p")))
                        .code())
                .isEqualTo(422);
        KieHttp.Reply noImages = http.post(
                "/api/v1/jobs/createTask",
                new JsonObject()
                        .put("model", "sora-2-image-to-video")
                        .put("input", new JsonObject().put("prompt", "p")));
        assertThat(noImages.code()).isEqualTo(500);
        assertThat(http.post(
                                "/api/v1/jobs/createTask",
                                new JsonObject()
                                        .put("model", "sora-2-text-to-video")
                                        .put(
                                                "input",
                                                new JsonObject()
                                                        .put("prompt", "p")
                                                        .put("aspect_ratio", "9:16")))
                        .code())
                .isEqualTo(422);
        assertThat(http.post(
                                "/api/v1/jobs/createTask",
                                new JsonObject()
                                        .put("model", "sora-2-text-to-video")
                                        .put(
                                                "input",
                                                new JsonObject()
                                                        .put("prompt", "p")
                                                        .put("n_frames", "8")))
                        .code())
                .isEqualTo(422);
        assertThat(http.post(
                                "/api/v1/jobs/createTask",
                                new JsonObject()
                                        .put("model", "sora-2-text-to-video")
                                        .put("input", new JsonObject().put("prompt", "x".repeat(10_001))))
                        .code())
                .isEqualTo(422);
        assertThat(kie.tasks()).isEmpty();
    }

    @Test
    void unknownAndWrongFamilyTasks() {
        KieHttp.Reply unknown = http.get("/api/v1/jobs/recordInfo?taskId=0123456789abcdef");
        assertThat(unknown.code()).isEqualTo(422);
        assertThat(unknown.msg()).isEqualTo("recordInfo is null");
        String veo = http.veoGenerate("a mug").data().getString("taskId");
        KieHttp.Reply wrong = http.get("/api/v1/jobs/recordInfo?taskId=" + veo);
        assertThat(wrong.code()).isEqualTo(422);
        assertThat(wrong.msg()).isEqualTo("The record does not exist");
    }

    @Test
    void marketMessageKeyVariant() {
        try (KieEmulator variant = new KieEmulator(KieSettings.defaults().marketUsesMessageKey(true)).start(0)) {
            KieHttp client = new KieHttp(variant.baseUrl(), variant.apiKey());
            String taskId = client.post(
                            "/api/v1/jobs/createTask",
                            new JsonObject()
                                    .put("model", "sora-2-text-to-video")
                                    .put("input", new JsonObject().put("prompt", "p")))
                    .data()
                    .getString("taskId");
            JsonObject r =
                    client.get("/api/v1/jobs/recordInfo?taskId=" + taskId).json();
            assertThat(r.getString("message")).isEqualTo("success");
            assertThat(r.containsKey("msg")).isFalse();
        }
    }

    private JsonObject recordInfo(String taskId) {
        KieHttp.Reply r = http.get("/api/v1/jobs/recordInfo?taskId=" + taskId);
        assertThat(r.code()).as(r.body()).isEqualTo(200);
        return r.data();
    }
}
