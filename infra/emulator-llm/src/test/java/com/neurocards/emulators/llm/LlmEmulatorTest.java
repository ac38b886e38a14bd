package com.neurocards.emulators.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlmEmulatorTest {

    private static final String USER = "Product: ceramic coffee mug. Style: cozy morning. Vertical 9:16.";

    static LlmEmulator llm;
    static LlmHttp http;

    @BeforeAll
    static void start() {
        llm = new LlmEmulator(LlmSettings.defaults().timeoutHold(Duration.ofSeconds(2))).start(0);
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

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 10})
    void schemaAskingForExactlyNPromptsGetsNDistinctConformingPrompts(int n) throws Exception {
        HttpResponse<String> r = http.chat(LlmHttp.promptsRequest(USER, n));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject completion = new JsonObject(r.body());
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        assertThat(completion.getString("id")).startsWith("chatcmpl-");
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(choice.getJsonObject("message").getValue("refusal")).isNull();
        assertThat(completion.getJsonObject("usage").getInteger("total_tokens")).isPositive();

        JsonObject content = new JsonObject(choice.getJsonObject("message").getString("content"));
        assertThat(MiniSchemaValidator.errors(LlmHttp.promptsSchema(n), content))
                .isEmpty();
        JsonArray prompts = content.getJsonArray("prompts");
        assertThat(prompts).hasSize(n);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String prompt = prompts.getJsonObject(i).getString("prompt");
            assertThat(prompt).contains("ceramic coffee mug");
            distinct.add(prompt);
        }
        assertThat(distinct).hasSize(n);
    }

    @Test
    void arrayOfStringsAndNestedRefsConform() throws Exception {
        JsonObject schema = new JsonObject()
                .put("type", "object")
                .put("additionalProperties", false)
                .put(
                        "$defs",
                        new JsonObject()
                                .put(
                                        "shot",
                                        new JsonObject()
                                                .put("type", "object")
                                                .put("additionalProperties", false)
                                                .put(
                                                        "properties",
                                                        new JsonObject()
                                                                .put(
                                                                        "lighting",
                                                                        new JsonObject()
                                                                                .put("type", "string")
                                                                                .put("maxLength", 20))
                                                                .put(
                                                                        "note",
                                                                        new JsonObject()
                                                                                .put(
                                                                                        "anyOf",
                                                                                        new JsonArray()
                                                                                                .add(
                                                                                                        new JsonObject()
                                                                                                                .put(
                                                                                                                        "type",
                                                                                                                        "string"))
                                                                                                .add(
                                                                                                        new JsonObject()
                                                                                                                .put(
                                                                                                                        "type",
                                                                                                                        "null")))))
                                                .put(
                                                        "required",
                                                        new JsonArray()
                                                                .add("lighting")
                                                                .add("note"))))
                .put(
                        "properties",
                        new JsonObject()
                                .put(
                                        "prompts",
                                        new JsonObject()
                                                .put("type", "array")
                                                .put("minItems", 4)
                                                .put("maxItems", 4)
                                                .put("items", new JsonObject().put("type", "string")))
                                .put("shot", new JsonObject().put("$ref", "#/$defs/shot"))
                                .put("ok", new JsonObject().put("type", "boolean")))
                .put("required", new JsonArray().add("prompts").add("shot").add("ok"));
        JsonObject body = LlmHttp.promptsRequest("Product: leather wallet", 1);
        body.getJsonObject("response_format").getJsonObject("json_schema").put("schema", schema);
        JsonObject content = content(http.chat(body));
        assertThat(MiniSchemaValidator.errors(schema, content)).isEmpty();
        assertThat(new HashSet<>(content.getJsonArray("prompts").getList())).hasSize(4);
        assertThat(content.getJsonArray("prompts").getString(0)).contains("leather wallet");
    }

    @Test
    void jsonObjectAndPlainText() throws Exception {
        JsonObject jsonObject = plain("Write one prompt as JSON. Product: bamboo toothbrush")
                .put("response_format", new JsonObject().put("type", "json_object"));
        JsonObject parsed = content(http.chat(jsonObject));
        assertThat(parsed.getString("prompt")).contains("bamboo toothbrush");

        HttpResponse<String> noJsonWord = http.chat(plain("Product: bamboo toothbrush")
                .put("response_format", new JsonObject().put("type", "json_object")));
        assertThat(noJsonWord.statusCode()).isEqualTo(400);
        assertThat(error(noJsonWord).getString("message")).contains("must contain the word 'json'");

        String text = message(http.chat(plain("Product: bamboo toothbrush"))).getString("content");
        assertThat(text).contains("bamboo toothbrush");
    }

    @Test
    void strictSchemaRulesAreEnforced() throws Exception {
        JsonObject open = new JsonObject()
                .put("type", "object")
                .put("properties", new JsonObject().put("prompt", new JsonObject().put("type", "string")))
                .put("required", new JsonArray().add("prompt"));
        JsonObject body = LlmHttp.promptsRequest(USER, 1);
        body.getJsonObject("response_format").getJsonObject("json_schema").put("schema", open);
        HttpResponse<String> r = http.chat(body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).getString("type")).isEqualTo("invalid_request_error");
        assertThat(error(r).getString("message")).contains("additionalProperties");

        body.getJsonObject("response_format").getJsonObject("json_schema").put("name", "bad name!");
        assertThat(http.chat(body).statusCode()).isEqualTo(400);
    }

    @Test
    void wrongOrMissingKeyIs401InOpenAiShape() throws Exception {
        HttpResponse<String> wrong =
                new LlmHttp(llm.baseUrl(), "sk-wrong-key-123456").chat(LlmHttp.promptsRequest(USER, 3));
        assertThat(wrong.statusCode()).isEqualTo(401);
        JsonObject e = error(wrong);
        assertThat(e.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(e.getString("code")).isEqualTo("invalid_api_key");
        assertThat(e.getString("message")).doesNotContain("sk-wrong-key-123456");
        assertThat(new LlmHttp(llm.baseUrl(), null)
                        .chat(LlmHttp.promptsRequest(USER, 3))
                        .statusCode())
                .isEqualTo(401);
        assertThat(new LlmHttp(llm.baseUrl(), "nope-nope-nope")
                        .get("/v1/models")
                        .statusCode())
                .isEqualTo(401);
        JsonObject models = new JsonObject(http.get("/v1/models").body());
        assertThat(models.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("gpt-4o-mini");
    }

    @Test
    void unknownModelAndMissingMessagesAreRejected() throws Exception {
        HttpResponse<String> model = http.chat(plain("hi").put("model", "gpt-99"));
        assertThat(model.statusCode()).isEqualTo(404);
        assertThat(error(model).getString("code")).isEqualTo("model_not_found");
        HttpResponse<String> noMessages = http.chat(new JsonObject().put("model", "gpt-4o-mini"));
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(error(noMessages).getString("param")).isEqualTo("messages");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void serverErrorsByMarker(int status) throws Exception {
        HttpResponse<String> r = http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=" + status + "]", 3));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(error(r).getString("type")).isEqualTo("server_error");
    }

    @Test
    void rateLimitHasRetryAfter() throws Exception {
        HttpResponse<String> r = http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=429]", 3));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(error(r).getString("code")).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void timeoutHoldsTheAnswerLongerThanTheClientWaits() {
        llm.scriptNext(LlmOutcome.timeout());
        assertThatThrownBy(() ->
                        http.chat("/v1/chat/completions", LlmHttp.promptsRequest(USER, 3), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(llm.lastRequest().outcome()).isEqualTo(LlmOutcome.Kind.TIMEOUT);
    }

    @Test
    void slowMarkerDelaysButAnswers() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.chat(LlmHttp.promptsRequest(USER + " [llm:slow=300ms]", 2));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(content(r).getJsonArray("prompts")).hasSize(2);
    }

    @Test
    void invalidJsonContent() throws Exception {
        HttpResponse<String> r = http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=invalid-json]", 3));
        assertThat(r.statusCode()).isEqualTo(200);
        String content = message(r).getString("content");
        assertThatThrownBy(() -> new JsonObject(content)).isInstanceOf(DecodeException.class);
    }

    @Test
    void schemaViolationHasTheWrongItemCount() throws Exception {
        JsonObject content = content(http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=schema]", 5)));
        assertThat(content.getJsonArray("prompts")).hasSize(6);
        assertThat(MiniSchemaValidator.errors(LlmHttp.promptsSchema(5), content))
                .contains("$.prompts too many items");
    }

    @Test
    void refusalHasNullContent() throws Exception {
        JsonObject message = message(http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=refusal]", 3)));
        assertThat(message.getValue("content")).isNull();
        assertThat(message.getString("refusal")).contains("can't help");
    }

    @Test
    void lengthTruncation() throws Exception {
        JsonObject choice = new JsonObject(http.chat(LlmHttp.promptsRequest(USER + " [llm:fail=length]", 3))
                        .body())
                .getJsonArray("choices")
                .getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("length");
        assertThatThrownBy(() -> new JsonObject(choice.getJsonObject("message").getString("content")))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void javaScriptingAppliesToTheNextNCallsOnly() throws Exception {
        llm.scriptNext(2, LlmOutcome.serverError(500));
        assertThat(http.chat(LlmHttp.promptsRequest(USER, 3)).statusCode()).isEqualTo(500);
        assertThat(http.chat(LlmHttp.promptsRequest(USER, 3)).statusCode()).isEqualTo(500);
        assertThat(http.chat(LlmHttp.promptsRequest(USER, 3)).statusCode()).isEqualTo(200);
        assertThat(llm.requests())
                .extracting(LlmRecords.ReceivedRequest::status)
                .containsExactly(500, 500, 200);
        assertThat(llm.requests().get(0).apiKey()).isEqualTo(llm.apiKey());
        assertThat(llm.requests().get(0).body().getJsonObject("response_format").getString("type"))
                .isEqualTo("json_schema");
    }

    @Test
    void controlApiScriptsAndReports() throws Exception {
        LlmHttp control = new LlmHttp(llm.baseUrl(), null);
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> scripted = c.send(
                HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/control/next"))
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                                .put("count", 1)
                                .put("outcome", new JsonObject().put("type", "refusal"))
                                .encode()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scripted.statusCode()).isEqualTo(200);
        assertThat(message(http.chat(LlmHttp.promptsRequest(USER, 3))).getValue("content"))
                .isNull();
        JsonArray requests = new JsonArray(control.get("/control/requests").body());
        assertThat(requests).hasSize(1);
        assertThat(requests.getJsonObject(0).getString("outcome")).isEqualTo("REFUSAL");
        assertThat(requests.getJsonObject(0).getString("apiKey")).doesNotContain(llm.apiKey());
    }

    @Test
    void kieStyleModelPathAndStreaming() throws Exception {
        JsonObject body = plain("Product: glass teapot");
        body.remove("model");
        HttpResponse<String> kie = http.chat("/gemini-2.5-flash/v1/chat/completions", body, Duration.ofSeconds(5));
        assertThat(kie.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(kie.body()).getString("model")).isEqualTo("gemini-2.5-flash");

        HttpResponse<String> sse = http.chat(plain("Product: glass teapot").put("stream", true));
        assertThat(sse.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(sse.body())
                .contains("chat.completion.chunk")
                .contains("glass teapot")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void resourceConfig() {
        LlmEmulatorResource resource = new LlmEmulatorResource();
        Map<String, String> config = resource.start();
        try {
            assertThat(config.get("LLM_API_URL"))
                    .startsWith("http://127.0.0.1:")
                    .doesNotEndWith("/v1");
            assertThat(config)
                    .containsEntry("LLM_API_KEY", LlmSettings.DEFAULT_API_KEY)
                    .containsEntry("LLM_MODEL", "gpt-4o-mini");
        } finally {
            resource.stop();
        }
    }

    private static JsonObject plain(String text) {
        return new JsonObject()
                .put("model", "gpt-4o-mini")
                .put(
                        "messages",
                        new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
    }

    private static JsonObject message(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    }

    private static JsonObject content(HttpResponse<String> r) {
        return new JsonObject(message(r).getString("content"));
    }

    private static JsonObject error(HttpResponse<String> r) {
        return new JsonObject(r.body()).getJsonObject("error");
    }
}
