package com.neurocards.emulators.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images in chat completions, as an OpenAI-compatible API treats them: a vision model takes {@code image_url} parts
 * (a {@code data:} URL with base64) and its answer says what it saw; a model without vision, an image over the size
 * limit and bytes that are no image are refused with 400 {@code invalid_request_error}.
 */
class LlmVisionTest {

    private static final String USER = "Product: ceramic coffee mug. Seller's wishes: none.";
    private static final long MAX_IMAGE_BYTES = 200_000;

    static LlmEmulator llm;
    static LlmHttp http;

    @BeforeAll
    static void start() {
        llm = new LlmEmulator(LlmSettings.defaults().maxImageBytes(MAX_IMAGE_BYTES)).start(0);
        http = new LlmHttp(llm.baseUrl(), llm.apiKey());
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @BeforeEach
    void reset() {
        llm.reset();
    }

    @Test
    void aVisionModelSeesTheImageAndSaysWhatItSaw() throws Exception {
        String red = dataUrl(image(300, 200, Color.RED), "png");
        HttpResponse<String> r = http.chat(request("gpt-4o-mini", red, 3));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray prompts = prompts(r);
        assertThat(prompts).hasSize(3);
        assertThat(new HashSet<>(prompts.getList())).hasSize(3);
        for (Object p : prompts) {
            assertThat((String) p).contains("ceramic coffee mug").contains("mostly red, landscape 300x200");
        }
        assertThat(llm.lastRequest().imageUrls()).containsExactly(red);

        // a different image, a different observation: the answer comes from the image, not a fixed phrase
        HttpResponse<String> blue = http.chat(request("gpt-4o-mini", dataUrl(image(200, 400, Color.BLUE), "jpeg"), 1));
        assertThat(prompts(blue).getString(0)).contains("mostly blue, portrait 200x400");
    }

    @Test
    void withoutAnImageNothingIsClaimedToBeSeen() throws Exception {
        JsonObject body = request("gpt-4o-mini", null, 2);
        HttpResponse<String> r = http.chat(body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(prompts(r).getString(0)).doesNotContain("as in the photo");
    }

    @Test
    void aModelWithoutVisionRefusesImagePartsAsOpenAiDoes() throws Exception {
        HttpResponse<String> r =
                http.chat(request(LlmSettings.TEXT_ONLY_MODEL, dataUrl(image(64, 64, Color.RED), "png"), 2));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).contains("image_url is only supported by certain models");
        assertThat(error.getString("param")).isEqualTo("messages.[1].content.[1].type");

        // the same model answers the text-only form
        assertThat(http.chat(request(LlmSettings.TEXT_ONLY_MODEL, null, 2)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anImageOverTheSizeLimitIsRefused() throws Exception {
        byte[] big = new byte[(int) MAX_IMAGE_BYTES + 10_000];
        new java.util.Random(1).nextBytes(big);
        String url = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(big);
        HttpResponse<String> r = http.chat(request("gpt-4o-mini", url, 1));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("image_too_large");
    }

    @Test
    void bytesThatAreNoImageAndBrokenDataUrlsAreRefused() throws Exception {
        String notAnImage = "data:image/png;base64," + Base64.getEncoder().encodeToString("hello".getBytes());
        HttpResponse<String> r = http.chat(request("gpt-4o-mini", notAnImage, 1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code"))
                .isEqualTo("invalid_image_format");

        HttpResponse<String> noBase64 = http.chat(request("gpt-4o-mini", "data:image/png;base64,@@@", 1));
        assertThat(noBase64.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noBase64.body()).getJsonObject("error").getString("type"))
                .isEqualTo("invalid_request_error");
    }

    @Test
    void duplicatesOutcomeAnswersOnePromptNTimes() throws Exception {
        llm.scriptNext(LlmOutcome.duplicates());
        JsonArray prompts = prompts(http.chat(request("gpt-4o-mini", null, 3)));
        assertThat(prompts).hasSize(3);
        assertThat(new HashSet<>(prompts.getList())).hasSize(1);
        // by marker as well
        JsonObject body = request("gpt-4o-mini", null, 2);
        body.getJsonArray("messages").getJsonObject(1).put("content", USER + " [llm:fail=duplicates]");
        assertThat(new HashSet<>(prompts(http.chat(body)).getList())).hasSize(1);
    }

    /** The prompt stage's request: system, then the user's text (and the image as a second part when given). */
    private static JsonObject request(String model, String imageUrl, int n) {
        Object userContent = imageUrl == null
                ? USER
                : new JsonArray()
                        .add(new JsonObject().put("type", "text").put("text", USER))
                        .add(new JsonObject()
                                .put("type", "image_url")
                                .put(
                                        "image_url",
                                        new JsonObject().put("url", imageUrl).put("detail", "low")));
        JsonObject schema = new JsonObject()
                .put("type", "object")
                .put("additionalProperties", false)
                .put(
                        "properties",
                        new JsonObject()
                                .put(
                                        "prompts",
                                        new JsonObject()
                                                .put("type", "array")
                                                .put("items", new JsonObject().put("type", "string"))
                                                .put("minItems", n)
                                                .put("maxItems", n)))
                .put("required", new JsonArray().add("prompts"));
        return new JsonObject()
                .put("model", model)
                .put(
                        "messages",
                        new JsonArray()
                                .add(new JsonObject().put("role", "system").put("content", "Write video prompts."))
                                .add(new JsonObject().put("role", "user").put("content", userContent)))
                .put(
                        "response_format",
                        new JsonObject()
                                .put("type", "json_schema")
                                .put(
                                        "json_schema",
                                        new JsonObject()
                                                .put("name", "video_prompts")
                                                .put("strict", true)
                                                .put("schema", schema)));
    }

    private static JsonArray prompts(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject completion = new JsonObject(r.body());
        String content = completion
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
        return new JsonObject(content).getJsonArray("prompts");
    }

    private static BufferedImage image(int width, int height, Color colour) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width / 5, height / 5);
        g.dispose();
        return img;
    }

    private static String dataUrl(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format.equals("jpeg") ? "jpg" : format, out);
        return "data:image/" + format + ";base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
