package com.neurocards.pipeline.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * An OpenAI-compatible endpoint as a REST client ({@code quarkus.rest-client.llm.*}: timeouts). Every call names its
 * base ({@code baseUrl}, {@code LLM_API_URL} with {@code /v1}: see {@link LlmClient#versionedBase}); a status other
 * than 200 becomes a classified {@link LlmException} ({@link LlmExceptionMapper}).
 */
@RegisterRestClient(configKey = "llm")
@RegisterProvider(LlmExceptionMapper.class)
@Produces(MediaType.APPLICATION_JSON)
public interface LlmApi {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<ChatCompletion> complete(
            @Url String baseUrl, @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, ChatRequest request);

    /** The model list: cheap, spends no tokens (the health probe). */
    @GET
    @Path("/models")
    Uni<Void> models(@Url String baseUrl, @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);

    /** A chat-completions request with a strict JSON-schema answer. */
    record ChatRequest(
            String model,
            double temperature,
            List<Message> messages,
            @JsonProperty("response_format") ResponseFormat responseFormat) {}

    /**
     * One message; {@code content} is a string, or for a user message with the product photo a list of
     * {@link TextPart} and {@link ImagePart} (the content-array form of vision models).
     */
    record Message(String role, Object content) {}

    record TextPart(String type, String text) {
        static TextPart of(String text) {
            return new TextPart("text", text);
        }
    }

    record ImagePart(String type, @JsonProperty("image_url") ImageUrl imageUrl) {
        static ImagePart of(String url, String detail) {
            return new ImagePart("image_url", new ImageUrl(url, detail));
        }
    }

    /** {@code url}: a {@code data:image/…;base64,…} URL; {@code detail}: {@code low} / {@code high} / {@code auto}. */
    record ImageUrl(String url, String detail) {}

    record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {}

    record JsonSchema(String name, boolean strict, ObjectSchema schema) {}

    /** A closed object of the given properties, all required (what strict mode asks for). */
    record ObjectSchema(
            String type, Map<String, ArraySchema> properties, List<String> required, boolean additionalProperties) {}

    /** An array of exactly {@code minItems} = {@code maxItems} strings. */
    record ArraySchema(String type, Map<String, String> items, int minItems, int maxItems) {}

    /**
     * The answer: {@code choices[0].message.content} is the JSON the schema asked for. KIE's chat endpoint answers its
     * errors with HTTP 200 in its own envelope, so {@code choices} can be missing and {@code code} there instead.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChatCompletion(List<Choice> choices, String code) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Choice(Reply message, @JsonProperty("finish_reason") String finishReason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reply(String content, String refusal) {}
}
