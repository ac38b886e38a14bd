package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AsyncFailuresTest extends KieTestBase {

    @Test
    void contentRejectionShowsOnlyAtRecordInfoAndIsRefunded() {
        long before = kie.credits();
        KieHttp.Reply create = http.veoGenerate("A mug [kie:fail=content]", uploadPhoto());
        assertThat(create.code()).isEqualTo(200); // moderation is asynchronous
        String taskId = create.data().getString("taskId");
        await().until(() -> kie.task(taskId).imageCheck() == KieTask.ImageCheck.OK);

        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isZero();
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isZero();
        JsonObject failed = http.recordInfo(taskId).data();
        assertThat(failed.getInteger("successFlag")).isEqualTo(2);
        assertThat(failed.getInteger("errorCode")).isEqualTo(400);
        assertThat(failed.getString("errorMessage")).contains("flagged").contains("violating content policies");
        assertThat(failed.getValue("response")).isNull();
        assertThat(kie.credits()).isEqualTo(before); // failed tasks cost 0
    }

    @Test
    void namedFailuresCarryTheDocumentedTexts() {
        assertThat(outcomeOf("[kie:fail=minor,polls=0]").getString("errorMessage"))
                .isEqualTo("public error minor upload");
        assertThat(outcomeOf("[kie:fail=people,polls=0]").getString("errorMessage"))
                .contains("prominent people");
        assertThat(outcomeOf("[kie:fail=flow,polls=0]").getString("errorMessage"))
                .contains("rejected by Flow");
        JsonObject internal = outcomeOf("[kie:fail=internal,polls=0]");
        assertThat(internal.getInteger("successFlag")).isEqualTo(3);
        assertThat(internal.getInteger("errorCode")).isEqualTo(500);
        assertThat(internal.getString("errorMessage")).contains("Internal Error");
        assertThat(outcomeOf("[kie:fail=generation,polls=0]").getInteger("errorCode"))
                .isEqualTo(501);
    }

    @Test
    void unfetchableImageFailsTheTask() {
        String taskId = http.veoGenerate("A mug", kie.baseUrl() + "/files/nowhere/missing.png")
                .data()
                .getString("taskId");
        JsonObject failed = pollUntilDone(taskId);
        assertThat(failed.getInteger("successFlag")).isEqualTo(2);
        assertThat(failed.getInteger("errorCode")).isEqualTo(400);
        assertThat(failed.getString("errorMessage"))
                .startsWith("Failed to fetch the image")
                .contains("HTTP 404");
    }

    @Test
    void unreachableHostFailsTheTask() {
        String taskId =
                http.veoGenerate("A mug", "http://127.0.0.1:1/photo.jpg").data().getString("taskId");
        assertThat(pollUntilDone(taskId).getString("errorMessage")).startsWith("Failed to fetch the image");
    }

    @Test
    void aNonImageFailsTheTask() {
        KieHttp.Reply upload = http.streamUpload("notes.txt", "x", "hello, not a photo".getBytes(), "text/plain");
        String taskId = http.veoGenerate("A mug", upload.data().getString("downloadUrl"))
                .data()
                .getString("taskId");
        JsonObject failed = pollUntilDone(taskId);
        assertThat(failed.getString("errorMessage"))
                .startsWith("Failed to fetch the image")
                .contains("not an image");
    }

    @Test
    void imageFailureCanBeAnEnvelope451() {
        try (KieEmulator strict =
                new KieEmulator(KieSettings.defaults().imageFetchFailureAsEnvelope451(true)).start(0)) {
            KieHttp client = new KieHttp(strict.baseUrl(), strict.apiKey());
            String taskId = client.veoGenerate("A mug", strict.baseUrl() + "/files/missing.png")
                    .data()
                    .getString("taskId");
            await().until(() -> strict.task(taskId).imageCheck() == KieTask.ImageCheck.FAILED);
            KieHttp.Reply r = client.recordInfo(taskId);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.code()).isEqualTo(451);
            assertThat(r.msg()).startsWith("Failed to fetch the image");
        }
    }

    @Test
    void telegramFileUrlIsRecordedAsALeakedSecret() {
        String telegramUrl = kie.baseUrl() + "/file/bot123456:AAE-secret-token/photos/file_1.jpg";
        http.veoGenerate("A mug", telegramUrl);
        http.post("/api/file-url-upload", new JsonObject().put("fileUrl", telegramUrl));
        assertThat(kie.leakedSecrets())
                .extracting(KieRecords.LeakedSecret::url)
                .containsExactly(telegramUrl, telegramUrl);
        assertThat(kie.leakedSecrets())
                .extracting(KieRecords.LeakedSecret::where)
                .containsExactly("POST /api/v1/veo/generate", "POST /api/file-url-upload");
    }

    @Test
    void aFaultMarkedFirstClearsAfterThatManyCreatesWithTheSamePrompt() {
        String flaky = "A mug, take 7 [kie:error=500,first=2]";
        assertThat(http.veoGenerate(flaky).code()).isEqualTo(500);
        assertThat(http.veoGenerate("Another mug [kie:error=500,first=2]").code())
                .as("counted per prompt")
                .isEqualTo(500);
        assertThat(http.veoGenerate(flaky).code()).isEqualTo(500);
        KieHttp.Reply third = http.veoGenerate(flaky);
        assertThat(third.code()).isEqualTo(200);
        assertThat(pollUntilDone(third.data().getString("taskId")).getInteger("successFlag"))
                .isEqualTo(1);

        String rerender = "A mug, take 8 [kie:fail=timeout,polls=0,first=1]";
        assertThat(outcomeOf(rerender).getString("errorMessage")).contains("imeout");
        assertThat(outcomeOf(rerender).getInteger("successFlag"))
                .as("the re-render succeeds")
                .isEqualTo(1);
    }

    private JsonObject outcomeOf(String marker) {
        return pollUntilDone(http.veoGenerate("A mug " + marker).data().getString("taskId"));
    }
}
