package com.neurocards.pipeline.llm;

import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.health.OutsideService;
import com.neurocards.pipeline.config.PipelineConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * The LLM as a health probe: {@code GET <base>/v1/models} with our key (no tokens spent). Without a key the prompt
 * stage uses its built-in templates, so there is nothing to be down.
 */
@ApplicationScoped
public class LlmReachability implements OutsideService {

    private final Optional<String> url;
    private final String apiKey;
    private final HttpClient http;
    private final PipelineConfig.Llm config;

    public LlmReachability(PipelineConfig config) {
        this.config = config.llm();
        this.apiKey = config.llm().apiKey().filter(k -> !k.isBlank()).orElse(null);
        this.url = config.llm().apiUrl().filter(u -> !u.isBlank()).map(LlmReachability::modelsUrl);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.llm().timeout()).build();
    }

    @Override
    public String name() {
        return "llm";
    }

    @Override
    public String probe() throws IOException, InterruptedException {
        if (apiKey == null || url.isEmpty()) {
            return "not configured: prompts come from the built-in templates";
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.get())).timeout(config.timeout())
                .header("Authorization", "Bearer " + apiKey).GET().build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IOException(Redaction.redact(e.getClass().getSimpleName() + " " + e.getMessage(), List.of(apiKey)));
        }
        if (status == 401 || status == 403) {
            throw new IOException("the LLM refused our key (HTTP " + status + ")");
        }
        if (status >= 500) {
            throw new IOException("the LLM answered HTTP " + status);
        }
        return "reachable (HTTP " + status + "), model " + config.model();
    }

    static String modelsUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base.endsWith("/v1") ? base + "/models" : base + "/v1/models";
    }
}
