package com.neurocards.emulators.llm;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions} (and KIE's {@code /{model}/v1/chat/completions}): auth, request checks as OpenAI
 * does them, then a completion whose content honours {@code response_format} — or the scripted failure.
 */
final class ChatCompletions {

    private static final String REFUSAL = "I'm sorry, but I can't help with that request.";

    private final LlmEmulator emulator;
    private final LlmSettings settings;

    ChatCompletions(LlmEmulator emulator, LlmSettings settings) {
        this.emulator = emulator;
        this.settings = settings;
    }

    void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        String presented = LlmEmulator.bearer(ctx);
        JsonObject body = parse(ctx.body().asString());
        if (presented == null || !emulator.isValidKey(presented)) {
            reject(ctx, path, presented, body, 401, OpenAiErrors.invalidKey(presented));
            return;
        }
        if (body == null) {
            reject(
                    ctx,
                    path,
                    presented,
                    null,
                    400,
                    OpenAiErrors.invalidRequest(
                            "We could not parse the JSON body of your "
                                    + "request. (HINT: This likely means you aren't using your HTTP library correctly.)",
                            null,
                            null));
            return;
        }
        if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            reject(
                    ctx,
                    path,
                    presented,
                    body,
                    400,
                    OpenAiErrors.invalidRequest(
                            "Missing required parameter: 'messages'.", "messages", "missing_required_parameter"));
            return;
        }
        String model = body.getString("model", ctx.pathParam("model"));
        if (model == null || model.isBlank()) {
            reject(
                    ctx,
                    path,
                    presented,
                    body,
                    400,
                    OpenAiErrors.invalidRequest("you must provide a model parameter", null, null));
            return;
        }
        if (!settings.anyModel() && !settings.models().contains(model)) {
            reject(ctx, path, presented, body, 404, OpenAiErrors.modelNotFound(model));
            return;
        }
        Images.Sight sight;
        try {
            sight = Images.check(messages, settings.seesImages(model), settings.maxImageBytes());
        } catch (Images.Rejected e) {
            reject(ctx, path, presented, body, 400, e.error);
            return;
        }
        Messages text = Messages.of(messages);
        ResponseFormat format;
        try {
            format = ResponseFormat.of(body, text.all());
        } catch (ResponseFormat.Rejected e) {
            reject(ctx, path, presented, body, 400, OpenAiErrors.invalidRequest(e.getMessage(), e.param, null));
            return;
        } catch (RuntimeException e) {
            reject(
                    ctx,
                    path,
                    presented,
                    body,
                    400,
                    OpenAiErrors.invalidRequest("Invalid schema: " + e.getMessage(), "response_format", null));
            return;
        }
        LlmOutcome outcome = emulator.nextOutcome();
        if (outcome == null) {
            outcome = markers(text.lastUser());
        }
        answer(ctx, path, presented, body, model, text, sight, format, outcome);
    }

    private void answer(
            RoutingContext ctx,
            String path,
            String key,
            JsonObject body,
            String model,
            Messages text,
            Images.Sight sight,
            ResponseFormat format,
            LlmOutcome outcome) {
        Duration delay = outcome.kind() == LlmOutcome.Kind.TIMEOUT ? settings.timeoutHold() : outcome.delay();
        switch (outcome.kind()) {
            case HTTP_ERROR -> {
                record(path, key, body, outcome.status(), outcome, null);
                later(
                        ctx,
                        delay,
                        () -> OpenAiErrors.send(ctx, outcome.status(), OpenAiErrors.serverError(outcome.status())));
                return;
            }
            case RATE_LIMIT -> {
                record(path, key, body, 429, outcome, null);
                later(ctx, delay, () -> {
                    ctx.response()
                            .putHeader("Retry-After", Integer.toString(settings.retryAfterSeconds()))
                            .putHeader("x-ratelimit-remaining-requests", "0")
                            .putHeader("x-ratelimit-reset-requests", settings.retryAfterSeconds() + "s");
                    OpenAiErrors.send(ctx, 429, OpenAiErrors.rateLimited(model, settings.retryAfterSeconds()));
                });
                return;
            }
            default -> {}
        }
        PhraseBook phrases = new PhraseBook(text.lastUser(), sight);
        int n = Math.max(1, body.getInteger("n", 1));
        JsonArray choices = new JsonArray();
        String firstContent = null;
        int completionTokens = 0;
        for (int i = 0; i < n; i++) {
            Choice c = choice(format, phrases, outcome, i);
            if (i == 0) {
                firstContent = c.content;
            }
            completionTokens += tokens(c.content == null ? REFUSAL : c.content);
            choices.add(new JsonObject()
                    .put("index", i)
                    .put(
                            "message",
                            new JsonObject()
                                    .put("role", "assistant")
                                    .put("content", c.content)
                                    .put("refusal", c.refusal)
                                    .put("annotations", new JsonArray()))
                    .put("logprobs", null)
                    .put("finish_reason", c.finishReason));
        }
        int promptTokens = tokens(text.all());
        JsonObject completion = new JsonObject()
                .put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "chat.completion")
                .put("created", Instant.now().getEpochSecond())
                .put("model", model)
                .put("choices", choices)
                .put(
                        "usage",
                        new JsonObject()
                                .put("prompt_tokens", promptTokens)
                                .put("completion_tokens", completionTokens)
                                .put("total_tokens", promptTokens + completionTokens))
                .put("system_fingerprint", "fp_emulator");
        record(path, key, body, 200, outcome, firstContent);
        boolean stream = Boolean.TRUE.equals(body.getBoolean("stream"));
        later(ctx, delay, () -> {
            if (stream) {
                Streaming.send(ctx, completion);
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(completion.encode());
            }
        });
    }

    private record Choice(String content, String refusal, String finishReason) {}

    private Choice choice(ResponseFormat format, PhraseBook phrases, LlmOutcome outcome, int variant) {
        if (outcome.kind() == LlmOutcome.Kind.REFUSAL) {
            return new Choice(null, REFUSAL, "stop");
        }
        String content =
                switch (format.type()) {
                    case "json_schema" -> encode(
                            switch (outcome.kind()) {
                                case SCHEMA_VIOLATION -> SchemaFaker.generateViolating(format.schema(), phrases);
                                case DUPLICATES -> sameStrings(SchemaFaker.generate(format.schema(), phrases));
                                default -> SchemaFaker.generate(format.schema(), phrases);
                            });
                    case "json_object" -> new JsonObject()
                            .put("prompt", phrases.videoPrompt(variant))
                            .put("product", phrases.product())
                            .encode();
                    default -> phrases.videoPrompt(variant);
                };
        return switch (outcome.kind()) {
            case INVALID_JSON -> new Choice(
                    "Sure! Here is the JSON you asked for:\n" + content.substring(0, content.length() / 2),
                    null,
                    "stop");
            case TRUNCATED -> new Choice(content.substring(0, Math.max(1, content.length() * 3 / 5)), null, "length");
            default -> new Choice(content, null, "stop");
        };
    }

    /** Every array of strings in {@code value} made its first string repeated: one answer given N times. */
    private static Object sameStrings(Object value) {
        if (value instanceof JsonObject o) {
            for (String key : o.fieldNames()) {
                o.put(key, sameStrings(o.getValue(key)));
            }
            return o;
        }
        if (value instanceof JsonArray a) {
            if (!a.isEmpty() && a.stream().allMatch(v -> v instanceof String)) {
                String first = a.getString(0);
                JsonArray same = new JsonArray();
                a.forEach(v -> same.add(first));
                return same;
            }
            JsonArray out = new JsonArray();
            a.forEach(v -> out.add(sameStrings(v)));
            return out;
        }
        return value;
    }

    private static String encode(Object value) {
        if (value instanceof JsonObject o) return o.encode();
        if (value instanceof JsonArray a) return a.encode();
        return Json.encode(value);
    }

    private LlmOutcome markers(String userText) {
        try {
            LlmOutcome o = LlmOutcome.fromMarkers(userText);
            return o == null ? LlmOutcome.normal() : o;
        } catch (IllegalArgumentException e) {
            return LlmOutcome.normal();
        }
    }

    private void reject(RoutingContext ctx, String path, String key, JsonObject body, int status, JsonObject error) {
        record(path, key, body, status, LlmOutcome.normal(), null);
        OpenAiErrors.send(ctx, status, error);
    }

    private void record(String path, String key, JsonObject body, int status, LlmOutcome outcome, String content) {
        emulator.record(
                new LlmRecords.ReceivedRequest(path, key, body, Instant.now(), status, outcome.kind(), content));
    }

    private static void later(RoutingContext ctx, Duration delay, Runnable send) {
        if (delay.isZero() || delay.isNegative()) {
            send.run();
        } else {
            ctx.vertx().setTimer(delay.toMillis(), id -> {
                if (!ctx.response().closed() && !ctx.response().ended()) {
                    send.run();
                }
            });
        }
    }

    /** About four characters a token, as a rough usage figure. */
    private static int tokens(String s) {
        return Math.max(1, s.length() / 4);
    }

    private static JsonObject parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(raw);
        } catch (DecodeException e) {
            return null;
        }
    }
}
