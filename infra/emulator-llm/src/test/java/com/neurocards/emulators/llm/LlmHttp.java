package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The pipeline's view: java.net.http against {@code <LLM_API_URL>/v1/chat/completions}. */
final class LlmHttp {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String key;

    LlmHttp(String base, String key) {
        this.base = base;
        this.key = key;
    }

    HttpResponse<String> chat(JsonObject body) throws IOException, InterruptedException {
        return chat("/v1/chat/completions", body, Duration.ofSeconds(10));
    }

    HttpResponse<String> chat(String path, JsonObject body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request like the prompt stage's: system + user message with the product, a schema for exactly n prompts. */
    static JsonObject promptsRequest(String userText, int n) {
        return new JsonObject()
                .put("model", "gpt-4o-mini")
                .put("temperature", 0.7)
                .put(
                        "messages",
                        new JsonArray()
                                .add(
                                        new JsonObject()
                                                .put("role", "system")
                                                .put(
                                                        "content",
                                                        "You write 8-second product video prompts for Veo 3.1. English only. No logos, no people."))
                                .add(
                                        new JsonObject()
                                                .put("role", "user")
                                                .put(
                                                        "content",
                                                        new JsonArray()
                                                                .add(new JsonObject()
                                                                        .put("type", "text")
                                                                        .put("text", userText))
                                                                .add(
                                                                        new JsonObject()
                                                                                .put("type", "image_url")
                                                                                .put(
                                                                                        "image_url",
                                                                                        new JsonObject()
                                                                                                .put(
                                                                                                        "url",
                                                                                                        "https://example.com/p.jpg"))))))
                .put(
                        "response_format",
                        new JsonObject()
                                .put("type", "json_schema")
                                .put(
                                        "json_schema",
                                        new JsonObject()
                                                .put("name", "video_prompts")
                                                .put("strict", true)
                                                .put("schema", promptsSchema(n))));
    }

    static JsonObject promptsSchema(int n) {
        JsonObject item = new JsonObject()
                .put("type", "object")
                .put("additionalProperties", false)
                .put(
                        "properties",
                        new JsonObject()
                                .put("prompt", new JsonObject().put("type", "string"))
                                .put("camera", new JsonObject().put("type", "string"))
                                .put(
                                        "mood",
                                        new JsonObject()
                                                .put("type", "string")
                                                .put(
                                                        "enum",
                                                        new JsonArray()
                                                                .add("cozy")
                                                                .add("bold")))
                                .put(
                                        "seconds",
                                        new JsonObject()
                                                .put("type", "integer")
                                                .put("minimum", 4)
                                                .put("maximum", 8)))
                .put(
                        "required",
                        new JsonArray().add("prompt").add("camera").add("mood").add("seconds"));
        return new JsonObject()
                .put("type", "object")
                .put("additionalProperties", false)
                .put(
                        "properties",
                        new JsonObject()
                                .put(
                                        "prompts",
                                        new JsonObject()
                                                .put("type", "array")
                                                .put("minItems", n)
                                                .put("maxItems", n)
                                                .put("items", item)))
                .put("required", new JsonArray().add("prompts"));
    }
}
