package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KieErrorsTest extends KieTestBase {

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 404, 422, 429, 433, 455, 500, 501, 505})
    void scriptedEnvelopeErrorsArriveWithHttp200(int code) {
        kie.scriptNextCreate(KieOutcome.envelopeError(code));
        KieHttp.Reply r = http.veoGenerate("a mug");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.msg()).isEqualTo(KieMessages.forCode(code));
        assertThat(r.json().getValue("data")).isNull();
        assertThat(kie.tasks()).isEmpty();
        assertThat(http.veoGenerate("a mug").code()).isEqualTo(200); // only the next create was scripted
    }

    @Test
    void mirrorModeSendsRealHttpStatuses() {
        try (KieEmulator mirror =
                new KieEmulator(KieSettings.defaults().statusMode(KieSettings.StatusMode.MIRROR_CODE)).start(0)) {
            KieHttp client = new KieHttp(mirror.baseUrl(), mirror.apiKey());
            mirror.setCredits(0);
            KieHttp.Reply r = client.veoGenerate("a mug");
            assertThat(r.status()).isEqualTo(402);
            assertThat(r.code()).isEqualTo(402);
            assertThat(client.withKey("wrong").get("/api/v1/chat/credit").status())
                    .isEqualTo(401);
        }
    }

    @Test
    void missingOrEmptyPromptGetsTheDocumentedTexts() {
        KieHttp.Reply missing = http.post("/api/v1/veo/generate", new JsonObject().put("model", "veo3_fast"));
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.code()).isEqualTo(500);
        assertThat(missing.msg()).isEqualTo("This field is required");
        KieHttp.Reply empty = http.post("/api/v1/veo/generate", new JsonObject().put("prompt", " "));
        assertThat(empty.code()).isEqualTo(422);
        assertThat(empty.msg()).isEqualTo("不能为空");
        assertThat(http.post("/api/v1/veo/generate", "{not json").code()).isEqualTo(500);
    }

    @Test
    void badModelRatioGenerationTypeAndSeedsAreRejected() {
        assertThat(http.post(
                                "/api/v1/veo/generate",
                                new JsonObject().put("prompt", "p").put("model", "veo9"))
                        .msg())
                .isEqualTo("The page does not exist or is not published");
        KieHttp.Reply ratio = http.post(
                "/api/v1/veo/generate", new JsonObject().put("prompt", "p").put("aspectRatio", "4:3"));
        assertThat(ratio.code()).isEqualTo(422);
        assertThat(ratio.msg()).contains("aspectRatio");
        assertThat(http.post(
                                "/api/v1/veo/generate",
                                new JsonObject().put("prompt", "p").put("aspect_ratio", "1:1"))
                        .code())
                .isEqualTo(422);
        assertThat(http.post(
                                "/api/v1/veo/generate",
                                new JsonObject().put("prompt", "p").put("generationType", "X"))
                        .code())
                .isEqualTo(422);
        assertThat(http.post(
                                "/api/v1/veo/generate",
                                new JsonObject().put("prompt", "p").put("seeds", 5))
                        .code())
                .isEqualTo(422);
        assertThat(http.post(
                                "/api/v1/veo/generate",
                                new JsonObject()
                                        .put("prompt", "p")
                                        .put("generationType", "FIRST_AND_LAST_FRAMES_2_VIDEO"))
                        .code())
                .isEqualTo(422);
        assertThat(kie.tasks()).isEmpty();
    }

    @Test
    void wrongOrMissingKeyGets401Everywhere() {
        KieHttp wrong = http.withKey("not-a-key");
        KieHttp none = http.withKey(null);
        for (KieHttp client : new KieHttp[] {wrong, none}) {
            KieHttp.Reply create = client.veoGenerate("a mug");
            assertThat(create.status()).isEqualTo(200);
            assertThat(create.code()).isEqualTo(401);
            assertThat(create.msg()).isEqualTo("You do not have access permissions");
            assertThat(client.recordInfo("veo_task_x").code()).isEqualTo(401);
            assertThat(client.get("/api/v1/chat/credit").code()).isEqualTo(401);
            assertThat(client.get("/api/v1/jobs/recordInfo?taskId=x").code()).isEqualTo(401);
            KieHttp.Reply upload = client.streamUpload("a.png", "x", KieHttp.png(), "image/png");
            assertThat(upload.code()).isEqualTo(401);
            assertThat(upload.json().getBoolean("success")).isFalse();
        }
        assertThat(kie.tasks()).isEmpty();
        assertThat(kie.creates()).allSatisfy(c -> assertThat(c.code()).isEqualTo(401));
    }

    @Test
    void twentyFirstCreateInTenSecondsIs429WhileAnotherKeyIsUnaffected() {
        kie.addApiKey("second-key-0002");
        for (int i = 0; i < 20; i++) {
            assertThat(http.veoGenerate("mug " + i).code())
                    .as("create %d", i + 1)
                    .isEqualTo(200);
        }
        KieHttp.Reply limited = http.veoGenerate("mug 21");
        assertThat(limited.status()).isEqualTo(200);
        assertThat(limited.code()).isEqualTo(429);
        assertThat(kie.tasks()).hasSize(20); // dropped, not queued

        assertThat(http.withKey("second-key-0002").veoGenerate("other key").code())
                .isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(9));
        assertThat(http.veoGenerate("still inside the window").code()).isEqualTo(429);
        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(http.veoGenerate("a new window").code()).isEqualTo(200);
    }

    @Test
    void creditsAreDebitedPerTaskAndExhaustionIs402() {
        kie.setCredits(100);
        assertThat(http.get("/api/v1/chat/credit").json().getInteger("data")).isEqualTo(100);
        assertThat(http.veoGenerate("first").code()).isEqualTo(200);
        assertThat(http.get("/api/v1/chat/credit").json().getInteger("data")).isEqualTo(40);

        KieHttp.Reply broke = http.veoGenerate("second");
        assertThat(broke.status()).isEqualTo(200);
        assertThat(broke.code()).isEqualTo(402);
        assertThat(broke.msg()).isEqualTo("The current credits are insufficient. Please top up.");
        assertThat(kie.credits()).isEqualTo(40);
        assertThat(kie.tasks()).hasSize(1);
    }

    @Test
    void subKeyCapIs433() {
        kie.addApiKey("capped-key-0003").capKeyUsage("capped-key-0003", 2);
        KieHttp capped = http.withKey("capped-key-0003");
        assertThat(capped.veoGenerate("1").code()).isEqualTo(200);
        assertThat(capped.veoGenerate("2").code()).isEqualTo(200);
        KieHttp.Reply third = capped.veoGenerate("3");
        assertThat(third.code()).isEqualTo(433);
        assertThat(third.msg()).isEqualTo("Sub-key usage exceeds limit");
        assertThat(http.veoGenerate("main key").code()).isEqualTo(200);
    }

    @Test
    void maintenanceIs455OnCreatesPollsAndCredits() {
        String taskId = http.veoGenerate("before").data().getString("taskId");
        kie.setMaintenance(true);
        assertThat(http.veoGenerate("during").code()).isEqualTo(455);
        KieHttp.Reply poll = http.recordInfo(taskId);
        assertThat(poll.code()).isEqualTo(455);
        assertThat(poll.msg()).contains("maintained");
        assertThat(http.get("/api/v1/chat/credit").code()).isEqualTo(455);
        kie.setMaintenance(false);
        assertThat(http.recordInfo(taskId).code()).isEqualTo(200);
    }

    @Test
    void scriptedCreateHttpErrorMalformedAndSlow() {
        kie.scriptNextCreate(KieOutcome.httpError(502));
        KieHttp.Reply bad = http.veoGenerate("a");
        assertThat(bad.status()).isEqualTo(502);
        assertThat(bad.body()).contains("502");
        assertThat(kie.tasks()).isEmpty();

        kie.scriptNextCreate(KieOutcome.malformed());
        KieHttp.Reply cut = http.veoGenerate("b");
        assertThat(cut.status()).isEqualTo(200);
        assertThat(cut.body()).startsWith("{\"code\":200").doesNotEndWith("}");
        assertThat(kie.tasks()).hasSize(1); // the answer was lost, not the task

        kie.scriptNextCreate(KieOutcome.slow(Duration.ofMillis(400)));
        long t0 = System.nanoTime();
        assertThat(http.veoGenerate("c").code()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
    }

    @Test
    void aDroppedCreateMakesTheTaskButNoAnswer() {
        kie.scriptNextCreate(KieOutcome.dropped());
        assertThatThrownBy(() -> http.veoGenerate("a")).isInstanceOf(UncheckedIOException.class);
        assertThat(kie.tasks()).hasSize(1); // the answer was lost, not the task
        assertThatThrownBy(() -> http.veoGenerate("b [kie:drop]")).isInstanceOf(UncheckedIOException.class);
        assertThat(kie.tasks()).hasSize(2);
        assertThat(http.veoGenerate("c").code()).isEqualTo(200);
    }

    @Test
    void scriptedPollOutcomes() {
        String taskId = http.veoGenerate("a mug").data().getString("taskId");
        kie.scriptNextPoll(KieOutcome.envelopeError(500));
        kie.scriptNextPoll(KieOutcome.httpError(503));
        kie.scriptNextPoll(KieOutcome.malformed());
        kie.scriptNextPoll(KieOutcome.fail(3, 501, "Video generation failed, please try again later."));
        KieHttp.Reply internal = http.recordInfo(taskId);
        assertThat(internal.status()).isEqualTo(200);
        assertThat(internal.code()).isEqualTo(500);
        assertThat(internal.msg()).isEqualTo("Internal Error, Please try again later.");
        assertThat(http.recordInfo(taskId).status()).isEqualTo(503);
        assertThat(http.recordInfo(taskId).body()).doesNotEndWith("}");
        JsonObject failed = http.recordInfo(taskId).data();
        assertThat(failed.getInteger("successFlag")).isEqualTo(3);
        assertThat(failed.getInteger("errorCode")).isEqualTo(501);
        assertThat(kie.polls(taskId)).extracting(KieRecords.ReceivedPoll::code).containsExactly(500, 503, 200, 200);
    }

    @Test
    void promptMarkersScriptTheCreate() {
        KieHttp.Reply r = http.veoGenerate("a mug [kie:error=500]");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.code()).isEqualTo(500);
        assertThat(http.veoGenerate("a mug [kie:http=503]").status()).isEqualTo(503);
        assertThat(http.veoGenerate("a mug [kie:malformed]").body()).doesNotEndWith("}");
        assertThat(http.veoGenerate("typo is ignored [kie:bogus=1]").code()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404Envelope() {
        KieHttp.Reply r = http.get("/api/v1/veo/nope");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.code()).isEqualTo(404);
    }
}
