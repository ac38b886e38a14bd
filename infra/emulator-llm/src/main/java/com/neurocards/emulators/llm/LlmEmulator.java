package com.neurocards.emulators.llm;

import com.neurocards.emulators.HttpEmulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat-completions emulator: {@code POST /v1/chat/completions} (also KIE's
 * {@code /{model}/v1/chat/completions}) and {@code GET /v1/models}, Bearer auth with OpenAI's error shape, and
 * content that honours {@code response_format} (a JSON schema is answered with conforming, distinct, product-specific
 * values). Failures are scripted per call by {@link LlmOutcome} markers in the user message, by
 * {@link #scriptNext(int, LlmOutcome)}, or over {@code /control}. Clients call {@code <baseUrl>/v1/chat/completions}.
 */
public final class LlmEmulator extends HttpEmulator {

    private final LlmSettings settings;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Deque<LlmOutcome> script = new ArrayDeque<>();
    private final List<LlmRecords.ReceivedRequest> requests = new CopyOnWriteArrayList<>();

    public LlmEmulator() {
        this(LlmSettings.defaults());
    }

    public LlmEmulator(LlmSettings settings) {
        super("LLM");
        this.settings = settings;
        keys.addAll(settings.apiKeys());
    }

    @Override
    public synchronized LlmEmulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    public synchronized LlmEmulator start(String host, int port) {
        super.start(host, port);
        return this;
    }

    @Override
    protected void routes(Router router, Vertx vertx) {
        router.route().handler(BodyHandler.create(false).setBodyLimit(20L * 1024 * 1024));
        ChatCompletions chat = new ChatCompletions(this, settings);
        router.post("/v1/chat/completions").handler(chat::handle);
        router.post("/:model/v1/chat/completions").handler(chat::handle);
        router.get("/v1/models").handler(this::models);
        new LlmControlApi(this).routes(router);
        router.route("/v1/*")
                .handler(ctx -> OpenAiErrors.send(
                        ctx,
                        404,
                        OpenAiErrors.invalidRequest(
                                "Invalid URL (" + ctx.request().method() + " "
                                        + ctx.request().path() + ")",
                                null,
                                null)));
    }

    private void models(RoutingContext ctx) {
        String key = bearer(ctx);
        if (key == null || !isValidKey(key)) {
            OpenAiErrors.send(ctx, 401, OpenAiErrors.invalidKey(key));
            return;
        }
        JsonArray data = new JsonArray();
        for (String m : settings.models()) {
            data.add(new JsonObject()
                    .put("id", m)
                    .put("object", "model")
                    .put("created", 1_700_000_000L)
                    .put("owned_by", "emulator"));
        }
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("object", "list").put("data", data).encode());
    }

    static String bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null
                || !h.regionMatches(true, 0, "Bearer ", 0, 7)
                || h.substring(7).isBlank()) {
            return null;
        }
        return h.substring(7).trim();
    }

    boolean isValidKey(String key) {
        return keys.contains(key);
    }

    synchronized LlmOutcome nextOutcome() {
        return script.pollFirst();
    }

    void record(LlmRecords.ReceivedRequest request) {
        requests.add(request);
    }

    /** The first valid key. */
    public String apiKey() {
        return settings.apiKeys().get(0);
    }

    /** The model to configure as {@code LLM_MODEL}. */
    public String model() {
        return settings.models().iterator().next();
    }

    public LlmSettings settings() {
        return settings;
    }

    // ---- scripting -------------------------------------------------------------------------------------------------

    /** The next {@code count} chat calls get {@code outcome}, ahead of any marker in the message. */
    public synchronized LlmEmulator scriptNext(int count, LlmOutcome outcome) {
        for (int i = 0; i < count; i++) {
            script.addLast(outcome);
        }
        return this;
    }

    public LlmEmulator scriptNext(LlmOutcome outcome) {
        return scriptNext(1, outcome);
    }

    public LlmEmulator addApiKey(String key) {
        keys.add(key);
        return this;
    }

    public LlmEmulator removeApiKey(String key) {
        keys.remove(key);
        return this;
    }

    /** Back to the configured keys, nothing scripted, nothing recorded. */
    public synchronized void reset() {
        script.clear();
        requests.clear();
        keys.clear();
        keys.addAll(settings.apiKeys());
    }

    synchronized List<LlmOutcome> pending() {
        return List.copyOf(script);
    }

    // ---- what was seen ---------------------------------------------------------------------------------------------

    public List<LlmRecords.ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    public LlmRecords.ReceivedRequest lastRequest() {
        return requests.isEmpty() ? null : requests.get(requests.size() - 1);
    }

    /** For tests that need to outlast a held ("timeout") answer without waiting for it. */
    public Duration timeoutHold() {
        return settings.timeoutHold();
    }

    JsonObject stateJson() {
        return new JsonObject()
                .put(
                        "pending",
                        new JsonArray(pending().stream().map(LlmOutcome::toJson).toList()))
                .put(
                        "requests",
                        new JsonArray(requests().stream()
                                .map(LlmRecords.ReceivedRequest::toJson)
                                .toList()))
                .put("at", Instant.now().toString());
    }
}
