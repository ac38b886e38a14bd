package com.neurocards.pipeline.llm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.Redaction;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.ErrorClassifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An OpenAI-compatible LLM (docs/outside-services.md#llm-chat-completions) through {@link LlmApi}: asks for exactly {@code n} video prompts as strict JSON-schema output and checks what
 * comes back. Configured when both {@code LLM_API_URL} and {@code LLM_API_KEY} are set; the key never appears in an
 * exception or a log.
 */
@ApplicationScoped
public class LlmClient {

    private final LlmApi api;
    private final ObjectMapper json;
    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final String imageDetail;

    public LlmClient(@RestClient LlmApi api, ObjectMapper json, PipelineConfig config) {
        this.api = api;
        this.json = json;
        this.baseUrl = config.llm()
                .apiUrl()
                .filter(u -> !u.isBlank())
                .map(LlmClient::versionedBase)
                .orElse(null);
        this.apiKey = config.llm().apiKey().filter(k -> !k.isBlank()).orElse(null);
        this.model = config.llm().model();
        this.imageDetail = config.llm().vision().detail();
    }

    /** Whether an LLM is configured at all (without one, the built-in templates write the prompts). */
    public boolean configured() {
        return baseUrl != null && apiKey != null;
    }

    public String model() {
        return model;
    }

    /**
     * @param imageUrl the product photo as a {@code data:} URL, sent with the user message as an {@code image_url} part;
     *     {@code null}: the user message alone
     * @return exactly {@code n} prompts, as the model wrote them (not yet checked for distinctness)
     * @throws LlmException (as the failure) classified: HTTP errors, no answer, refusals, truncated or schema-breaking output
     */
    public Uni<List<String>> prompts(String systemPrompt, String userMessage, String imageUrl, int n) {
        LlmApi.ArraySchema prompts = new LlmApi.ArraySchema("array", Map.of("type", "string"), n, n);
        LlmApi.ObjectSchema schema =
                new LlmApi.ObjectSchema("object", Map.of("prompts", prompts), List.of("prompts"), false);
        LlmApi.ChatRequest request = new LlmApi.ChatRequest(
                model,
                0.9,
                List.of(
                        new LlmApi.Message("system", systemPrompt),
                        new LlmApi.Message(
                                "user",
                                imageUrl == null
                                        ? userMessage
                                        : List.of(
                                                LlmApi.TextPart.of(userMessage),
                                                LlmApi.ImagePart.of(imageUrl, imageDetail)))),
                new LlmApi.ResponseFormat("json_schema", new LlmApi.JsonSchema("video_prompts", true, schema)));
        return api.complete(baseUrl, bearer(), request)
                .onFailure()
                .transform(this::classified)
                .map(completion -> read(json, completion, n));
    }

    /** {@code GET <base>/models} with our key: fails with a classified {@link LlmException} unless it answers 200. */
    public Uni<Void> models() {
        return api.models(baseUrl, bearer()).onFailure().transform(this::classified);
    }

    /** The prompts in a completion, or an {@link LlmException} saying what is wrong with it. */
    static List<String> read(ObjectMapper json, LlmApi.ChatCompletion completion, int n) {
        if (completion == null) {
            throw new LlmException(ErrorClassifier.llmOutput("response is not JSON"));
        }
        LlmApi.Choice choice =
                completion.choices() == null || completion.choices().isEmpty()
                        ? null
                        : completion.choices().get(0);
        if (choice == null) {
            // KIE's chat endpoint answers errors in its own envelope with HTTP 200
            // (docs/outside-services.md#llm-chat-completions)
            throw new LlmException(ErrorClassifier.llmOutput(
                    "no choices (code " + (completion.code() == null ? "?" : completion.code()) + ")"));
        }
        LlmApi.Reply message = choice.message();
        if (message != null && message.refusal() != null) {
            throw new LlmException(ErrorClassifier.llmOutput("the model refused"));
        }
        String finish = choice.finishReason() == null ? "" : choice.finishReason();
        if (!finish.isEmpty() && !finish.equals("stop")) {
            throw new LlmException(ErrorClassifier.llmOutput("finish_reason " + finish));
        }
        JsonNode content;
        try {
            content = json.readTree(message == null || message.content() == null ? "" : message.content());
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

    /** {@code LLM_API_URL} is the provider's base with or without {@code /v1} (KIE's chat base ends in it): with it. */
    static String versionedBase(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.endsWith("/v1") ? base : base + "/v1";
    }

    private String bearer() {
        return "Bearer " + apiKey;
    }

    /** The innermost cause: what actually went wrong on the wire. */
    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private Throwable classified(Throwable failure) {
        if (failure instanceof LlmException) {
            return failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException) {
                return new LlmException(ErrorClassifier.llmOutput("response is not JSON"));
            }
        }
        return new LlmException(ErrorClassifier.network(
                "LLM",
                new IOException(Redaction.redact(
                        root(failure).getClass().getSimpleName() + " "
                                + root(failure).getMessage(),
                        apiKey == null ? List.of() : List.of(apiKey)))));
    }
}
