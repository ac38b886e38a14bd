package com.neurocards.pipeline.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocards.contracts.Redaction;
import com.neurocards.pipeline.error.ErrorClassifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible chat-completions client (docs/outside-services.md#llm-chat-completions) that asks for
 * exactly {@code n} video prompts as strict JSON-schema output and checks what comes back. Blocking; the prompt
 * stage calls it off the event loop.
 */
public class LlmClient {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final String url;
    private final String apiKey;
    private final String model;
    private final Duration timeout;

    public LlmClient(String baseUrl, String apiKey, String model, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.url = base.endsWith("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions";
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * @return exactly {@code n} prompts, as the model wrote them (not yet checked for distinctness)
     * @throws LlmException classified: HTTP errors, timeouts, refusals, truncated or schema-breaking output
     */
    public List<String> prompts(String systemPrompt, String userMessage, int n) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0.9);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", systemPrompt);
        messages.addObject().put("role", "user").put("content", userMessage);
        ObjectNode format = body.putObject("response_format");
        format.put("type", "json_schema");
        ObjectNode schemaHolder = format.putObject("json_schema");
        schemaHolder.put("name", "video_prompts");
        schemaHolder.put("strict", true);
        ObjectNode schema = schemaHolder.putObject("schema");
        schema.put("type", "object");
        ObjectNode prompts = schema.putObject("properties").putObject("prompts");
        prompts.put("type", "array");
        prompts.putObject("items").put("type", "string");
        prompts.put("minItems", n);
        prompts.put("maxItems", n);
        schema.putArray("required").add("prompts");
        schema.put("additionalProperties", false);

        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LlmException(ErrorClassifier.network("LLM",
                    new IOException(Redaction.redact(e.getClass().getSimpleName() + " " + e.getMessage(), List.of(apiKey)))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorClassifier.network("LLM", e));
        }
        if (response.statusCode() != 200) {
            Duration retryAfter = response.headers().firstValue("Retry-After").map(LlmClient::seconds).orElse(null);
            throw new LlmException(ErrorClassifier.llmHttp(response.statusCode(), retryAfter));
        }
        return read(response.body(), n);
    }

    List<String> read(String responseBody, int n) {
        JsonNode root;
        try {
            root = json.readTree(responseBody);
        } catch (IOException e) {
            throw new LlmException(ErrorClassifier.llmOutput("response is not JSON"));
        }
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode()) {
            // KIE's chat endpoint answers errors in its own envelope with HTTP 200
            // (docs/outside-services.md#llm-chat-completions)
            throw new LlmException(ErrorClassifier.llmOutput("no choices (code " + root.path("code").asText("?") + ")"));
        }
        JsonNode message = choice.path("message");
        if (message.hasNonNull("refusal")) {
            throw new LlmException(ErrorClassifier.llmOutput("the model refused"));
        }
        String finish = choice.path("finish_reason").asText("");
        if (!finish.isEmpty() && !finish.equals("stop")) {
            throw new LlmException(ErrorClassifier.llmOutput("finish_reason " + finish));
        }
        JsonNode content;
        try {
            content = json.readTree(message.path("content").asText(""));
        } catch (IOException e) {
            throw new LlmException(ErrorClassifier.llmOutput("content is not JSON"));
        }
        JsonNode prompts = content == null ? null : content.get("prompts");
        if (prompts == null || !prompts.isArray()) {
            throw new LlmException(ErrorClassifier.llmOutput("no 'prompts' array"));
        }
        if (prompts.size() != n) {
            throw new LlmException(ErrorClassifier.llmOutput(prompts.size() + " prompts instead of " + n));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode p : prompts) {
            if (!p.isTextual()) {
                throw new LlmException(ErrorClassifier.llmOutput("a prompt is not a string"));
            }
            out.add(p.asText());
        }
        return out;
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
