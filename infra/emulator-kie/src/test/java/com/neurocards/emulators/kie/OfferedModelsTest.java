package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.model.VideoModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every model the bot offers ({@link VideoModel}) is played on its own KIE family: created, rendered, failed,
 * rate-limited and refused for credits with that family's endpoints, task ids, states and error shapes.
 */
class OfferedModelsTest extends KieTestBase {

    /** What KIE charges per create, as the emulator plays it (and the pipeline's model-cost table says). */
    private static final Map<VideoModel, Integer> COST =
            Map.of(VideoModel.VEO3_FAST, 60, VideoModel.VEO3, 250, VideoModel.SORA2, 30);

    @ParameterizedTest
    @EnumSource(VideoModel.class)
    void aRenderIsCreatedPolledAndPaidOnItsOwnFamily(VideoModel model) {
        long before = kie.credits();
        KieHttp.Reply create = create(model, "The mug slowly rotates [kie:polls=1]");
        assertThat(create.code()).as(create.body()).isEqualTo(200);
        String taskId = create.data().getString("taskId");
        assertThat(taskId).matches(market(model) ? "[0-9a-f]{32}" : "veo_task_[0-9a-f]{16}");
        assertThat(kie.credits()).as("charged at create").isEqualTo(before - COST.get(model));
        await().until(() -> kie.task(taskId).imageCheck() == KieTask.ImageCheck.OK);

        JsonObject first = poll(model, taskId).data();
        JsonObject done = poll(model, taskId).data();

        if (market(model)) {
            assertThat(first.getString("state")).isEqualTo("generating");
            assertThat(done.getString("state")).isEqualTo("success");
            assertThat(done.getString("model")).isEqualTo(model.id());
            assertThat(done.getInteger("creditsConsumed")).isEqualTo(COST.get(model));
            assertThat(new JsonObject(done.getString("resultJson")).getJsonArray("resultUrls"))
                    .hasSize(1);
        } else {
            assertThat(first.getInteger("successFlag")).isZero();
            assertThat(done.getInteger("successFlag")).isEqualTo(1);
            assertThat(new JsonObject(done.getString("paramJson")).getString("model"))
                    .isEqualTo(model.id());
            assertThat(done.getJsonObject("response").getJsonArray("resultUrls"))
                    .hasSize(1);
        }
        // the other family does not know the task
        KieHttp.Reply wrong = http.get(
                (market(model) ? "/api/v1/veo/record-info?taskId=" : "/api/v1/jobs/recordInfo?taskId=") + taskId);
        assertThat(wrong.code()).isEqualTo(422);
        assertThat(wrong.msg()).isEqualTo("The record does not exist");
    }

    @ParameterizedTest
    @EnumSource(VideoModel.class)
    void aContentRejectionShowsOnlyWhenPolledInTheFamilysShapeAndIsNotCharged(VideoModel model) {
        long before = kie.credits();
        String taskId = create(model, "A mug [kie:fail=content,polls=0]").data().getString("taskId");
        await().until(() -> kie.task(taskId).imageCheck() == KieTask.ImageCheck.OK);

        JsonObject failed = poll(model, taskId).data();

        if (market(model)) {
            assertThat(failed.getString("state")).isEqualTo("fail");
            assertThat(failed.getValue("failCode")).isEqualTo("400");
            assertThat(failed.getString("failMsg")).contains("flagged");
            assertThat(failed.getValue("resultJson")).isNull();
        } else {
            assertThat(failed.getInteger("successFlag")).isEqualTo(2);
            assertThat(failed.getInteger("errorCode")).isEqualTo(400);
            assertThat(failed.getString("errorMessage")).contains("flagged");
        }
        assertThat(kie.credits()).as("a failed task costs nothing").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(VideoModel.class)
    void creationFaultsAnswerOnTheFamilysEndpointAndMakeNoTask(VideoModel model) {
        KieHttp.Reply limited = create(model, "A mug [kie:error=429]");
        assertThat(limited.status()).isEqualTo(200);
        assertThat(limited.code()).isEqualTo(429);
        KieHttp.Reply maintenance = create(model, "A mug [kie:error=455]");
        assertThat(maintenance.code()).isEqualTo(455);

        kie.setCredits(COST.get(model) - 1);
        KieHttp.Reply broke = create(model, "A mug");
        assertThat(broke.code()).isEqualTo(402);
        assertThat(broke.msg()).containsIgnoringCase("credits");

        assertThat(kie.tasks()).isEmpty();
        assertThat(kie.creates())
                .extracting(KieRecords.ReceivedCreate::path)
                .containsOnly(market(model) ? "/api/v1/jobs/createTask" : "/api/v1/veo/generate");
    }

    private static boolean market(VideoModel model) {
        return model.api() == VideoModel.Api.MARKET;
    }

    /** An image-to-video create of {@code model} the way the pipeline sends it, on the model's endpoint. */
    private static KieHttp.Reply create(VideoModel model, String prompt) {
        String photo = uploadPhoto();
        if (market(model)) {
            return http.post(
                    "/api/v1/jobs/createTask",
                    new JsonObject()
                            .put("model", model.id())
                            .put(
                                    "input",
                                    new JsonObject()
                                            .put("prompt", prompt)
                                            .put("image_urls", new JsonArray(List.of(photo)))
                                            .put("aspect_ratio", "portrait")
                                            .put("n_frames", "10")
                                            .put("remove_watermark", true)));
        }
        return http.post(
                "/api/v1/veo/generate",
                new JsonObject()
                        .put("prompt", prompt)
                        .put("model", model.id())
                        .put("imageUrls", new JsonArray(List.of(photo)))
                        .put("generationType", "FIRST_AND_LAST_FRAMES_2_VIDEO")
                        .put("aspectRatio", "9:16")
                        .put("aspect_ratio", "9:16"));
    }

    private static KieHttp.Reply poll(VideoModel model, String taskId) {
        KieHttp.Reply r = http.get(
                (market(model) ? "/api/v1/jobs/recordInfo?taskId=" : "/api/v1/veo/record-info?taskId=") + taskId);
        assertThat(r.code()).as(r.body()).isEqualTo(200);
        return r;
    }
}
