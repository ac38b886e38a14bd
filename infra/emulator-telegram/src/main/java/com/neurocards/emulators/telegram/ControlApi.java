package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The HTTP control API under {@code /control}: the same operations as the Java methods of {@link TelegramEmulator},
 * for tests in other processes and the browser chat page. JSON in, JSON out; errors are
 * {@code {"error":"..."}} with 400 (bad input) or 404 (unknown chat, message, file). Documented in README.md.
 */
final class ControlApi {

    private static final Logger LOG = Logger.getLogger(ControlApi.class);
    private static final long MAX_CONTROL_BODY = 200 * Limits.MB;
    private static final long MAX_WAIT_MILLIS = 60_000;

    private final TelegramEmulator emulator;
    private final Vertx vertx;

    ControlApi(TelegramEmulator emulator, Vertx vertx) {
        this.emulator = emulator;
        this.vertx = vertx;
    }

    void mount(Router router) {
        get(router, "/control/bot", (ctx, p) -> emulator.botUser()
                .put("webhook_url", emulator.webhookUrl().orElse(null))
                .put("pending_update_count", emulator.pendingUpdates().size()));
        get(
                router,
                "/control/chats",
                (ctx, p) -> new JsonArray(emulator.chatIds().stream()
                        .map(id -> emulator.chats().summary(id))
                        .toList()));
        get(router, "/control/chats/:chatId", (ctx, p) -> chat(chatId(ctx)));
        get(
                router,
                "/control/chats/:chatId/messages",
                (ctx, p) -> new JsonArray(emulator.messages(chatId(ctx)).stream()
                        .map(m -> m.toControlJson(true))
                        .toList()));
        post(router, "/control/chats/:chatId/messages", (ctx, p) -> user(ctx, p)
                .sendText(required(p, "text"))
                .toControlJson(false));
        post(router, "/control/chats/:chatId/photos", (ctx, p) -> user(ctx, p)
                .sendPhoto(bytes(p, "photo"), p.string("caption"))
                .toControlJson(false));
        post(router, "/control/chats/:chatId/documents", (ctx, p) -> {
            Upload upload = upload(p, "document");
            String name = p.string("file_name") != null
                    ? p.string("file_name")
                    : upload != null ? upload.fileName() : "file.bin";
            String mime = p.string("mime_type") != null
                    ? p.string("mime_type")
                    : upload != null ? upload.contentType() : null;
            return user(ctx, p)
                    .sendDocument(bytes(p, "document"), name, mime, p.string("caption"))
                    .toControlJson(false);
        });
        post(router, "/control/chats/:chatId/stickers", (ctx, p) -> user(ctx, p)
                .sendSticker(p.string("emoji") == null ? "👍" : p.string("emoji"))
                .toControlJson(false));
        post(router, "/control/chats/:chatId/voices", (ctx, p) -> {
            Integer seconds = p.intValue("duration", "duration must be a number");
            return user(ctx, p).sendVoice(seconds == null ? 3 : seconds).toControlJson(false);
        });
        postAsync(router, "/control/chats/:chatId/press", (ctx, p) -> {
            Integer messageId = p.intValue("message_id", "message_id must be a number");
            String data = required(p, "callback_data");
            SimulatedUser user = user(ctx, p);
            String id = messageId == null ? user.press(data) : user.press(messageId, data);
            return waitFor(p, () -> emulator.callbackQuery(id)
                            .filter(CallbackAnswer::answered)
                            .isPresent())
                    .map(v -> emulator.callbackQuery(id).orElseThrow().toJson());
        });
        postAsync(router, "/control/chats/:chatId/pay", (ctx, p) -> {
            Integer messageId = p.intValue("message_id", "message_id must be a number");
            if (messageId == null) {
                throw new IllegalArgumentException("message_id is required");
            }
            String id = user(ctx, p).pay(messageId).preCheckoutQueryId();
            return waitFor(p, () -> emulator.payment(id)
                            .filter(a -> a.status() != PaymentAttempt.Status.PENDING)
                            .isPresent())
                    .map(v -> emulator.payment(id).orElseThrow().toJson());
        });
        post(router, "/control/chats/:chatId/block", (ctx, p) -> {
            user(ctx, p).blockBot();
            return new JsonObject().put("blocked", true);
        });
        post(router, "/control/chats/:chatId/unblock", (ctx, p) -> {
            user(ctx, p).unblockBot();
            return new JsonObject().put("blocked", false);
        });
        get(router, "/control/callbacks/:id", (ctx, p) -> emulator.callbackQuery(ctx.pathParam("id"))
                .map(CallbackAnswer::toJson)
                .orElseThrow(() -> new NotFound("no callback query " + ctx.pathParam("id"))));
        get(router, "/control/payments/:id", (ctx, p) -> emulator.payment(ctx.pathParam("id"))
                .map(PaymentAttempt::toJson)
                .orElseThrow(() -> new NotFound("no payment " + ctx.pathParam("id"))));
        post(router, "/control/payments/:id/duplicate", (ctx, p) -> {
            emulator.forceDuplicatePayment(ctx.pathParam("id"));
            return new JsonObject().put("duplicated", true);
        });
        post(router, "/control/payments/:id/refund", (ctx, p) -> emulator.refundByTelegram(ctx.pathParam("id"))
                .toJson());
        post(router, "/control/chats/:chatId/unchecked-payment", (ctx, p) -> {
            Integer amount = p.intValue("total_amount", "total_amount must be a number");
            if (amount == null) {
                throw new IllegalArgumentException("total_amount is required");
            }
            String currency = p.string("currency");
            return emulator.forceUncheckedPayment(
                            user(ctx, p).id(),
                            required(p, "invoice_payload"),
                            currency == null ? "XTR" : currency,
                            amount)
                    .toJson();
        });
        get(
                router,
                "/control/refunds",
                (ctx, p) -> new JsonArray(
                        emulator.refunds().stream().map(Refund::toJson).toList()));
        getAsync(router, "/control/events", (ctx, p) -> {
            Long since = p.longValue("since", "since must be a number");
            Long chatId = p.longValue("chat_id", "chat_id must be a number");
            Long timeout = p.longValue("timeout_ms", "timeout_ms must be a number");
            long cursor = since == null ? 0 : since;
            return emulator.eventLog()
                    .await(vertx, cursor, chatId, Math.min(MAX_WAIT_MILLIS, timeout == null ? 0 : timeout))
                    .map(list -> new JsonObject()
                            .put(
                                    "cursor",
                                    list.isEmpty()
                                            ? Math.max(cursor, 0)
                                            : list.get(list.size() - 1).seq())
                            .put(
                                    "events",
                                    new JsonArray(list.stream()
                                            .map(EmulatorEvent::toJson)
                                            .toList()))
                            .put("instance", emulator.instanceId()));
        });
        // Where "now" is, for a reader that takes a snapshot first and then follows the events from here on;
        // "instance" changes when the emulator restarts or is reset, telling such a reader to start over.
        get(router, "/control/events/cursor", (ctx, p) -> new JsonObject()
                .put("cursor", emulator.eventCursor())
                .put("instance", emulator.instanceId()));
        get(router, "/control/calls", (ctx, p) -> {
            String method = p.string("method");
            Long since = p.longValue("since", "since must be a number");
            List<RecordedCall> list = method != null
                    ? emulator.calls(method)
                    : since != null ? emulator.callLog().since(since) : emulator.calls();
            return new JsonArray(list.stream().map(RecordedCall::toJson).toList());
        });
        get(router, "/control/updates", (ctx, p) -> new JsonArray(emulator.pendingUpdates()));
        // GET and HEAD, with single byte ranges (206 + Content-Range), so a <video> element can play and seek.
        router.route("/control/files/:fileId")
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(ctx -> emulator.file(ctx.pathParam("fileId"))
                        .ifPresentOrElse(
                                f -> FileResponses.send(ctx, f),
                                () -> error(ctx, 404, "no file " + ctx.pathParam("fileId"))));
        post(router, "/control/faults", (ctx, p) -> {
            String method = required(p, "method");
            Integer times = p.intValue("times", "times must be a number");
            Integer code = p.intValue("error_code", "error_code must be a number");
            Integer retryAfter = p.intValue("retry_after", "retry_after must be a number");
            Long delay = p.longValue("delay_ms", "delay_ms must be a number");
            int n = times == null ? 1 : times;
            if (code != null) {
                emulator.failNext(method, n, faultError(code, p.string("description"), retryAfter));
            }
            if (delay != null) {
                emulator.delayNext(method, n, Duration.ofMillis(delay));
            }
            boolean drop = "true".equals(p.string("drop_answer"));
            if (drop) {
                if (code != null || delay != null) {
                    throw new IllegalArgumentException("drop_answer goes alone, without error_code or delay_ms");
                }
                emulator.dropAnswerNext(method, n);
            }
            if (code == null && delay == null && !drop) {
                throw new IllegalArgumentException("error_code, delay_ms or drop_answer is required");
            }
            return new JsonObject().put("method", method).put("times", n);
        });
        router.delete("/control/faults").handler(ctx -> {
            emulator.clearFaults();
            ok(ctx, new JsonObject().put("cleared", true));
        });
        post(router, "/control/reset", (ctx, p) -> {
            emulator.reset();
            return new JsonObject().put("reset", true);
        });
    }

    // ---- operations ---------------------------------------------------------------------------------------------

    private JsonObject chat(long chatId) {
        if (!emulator.chats().exists(chatId)) {
            throw new NotFound("no chat " + chatId);
        }
        return emulator.chats()
                .summary(chatId)
                .put(
                        "messages",
                        new JsonArray(emulator.messages(chatId).stream()
                                .map(m -> m.toControlJson(true))
                                .toList()))
                .put(
                        "callback_queries",
                        new JsonArray(emulator.callbackQueries(chatId).stream()
                                .map(CallbackAnswer::toJson)
                                .toList()))
                .put(
                        "invoices",
                        new JsonArray(emulator.invoices(chatId).stream()
                                .map(Invoice::toJson)
                                .toList()))
                .put(
                        "payments",
                        new JsonArray(emulator.payments(chatId).stream()
                                .map(PaymentAttempt::toJson)
                                .toList()))
                .put("chat_actions", new JsonArray(emulator.chatActions(chatId)));
    }

    /** The acting user: the chat's user, or a new one with the profile fields given in the body. */
    private SimulatedUser user(RoutingContext ctx, ApiParams p) {
        long id = chatId(ctx);
        UserProfile profile = emulator.chats().exists(id) ? emulator.chats().user(id) : UserProfile.of(id);
        if (p.string("first_name") != null) {
            profile = profile.withFirstName(p.string("first_name"));
        }
        if (p.string("username") != null) {
            profile = profile.withUsername(p.string("username"));
        }
        if (p.string("language_code") != null) {
            profile = profile.withLanguageCode(p.string("language_code"));
        }
        return emulator.user(profile);
    }

    /** Resolves when {@code done} holds or wait_ms passes (0 or absent: at once). */
    private Future<Void> waitFor(ApiParams p, Supplier<Boolean> done) {
        Long wait = p.longValue("wait_ms", "wait_ms must be a number");
        long deadline = System.currentTimeMillis() + Math.min(MAX_WAIT_MILLIS, wait == null ? 0 : wait);
        Promise<Void> promise = Promise.promise();
        if (done.get() || wait == null || wait <= 0) {
            promise.complete();
            return promise.future();
        }
        vertx.setPeriodic(20, timer -> {
            if (done.get() || System.currentTimeMillis() >= deadline) {
                vertx.cancelTimer(timer);
                promise.tryComplete();
            }
        });
        return promise.future();
    }

    private static BotApiError faultError(int code, String description, Integer retryAfter) {
        if (code == 429) {
            return BotApiError.tooManyRequests(retryAfter == null ? 1 : retryAfter);
        }
        if (description != null) {
            return new BotApiError(code, description, retryAfter);
        }
        return switch (code) {
            case 400 -> BotApiError.badRequest("chat not found");
            case 401 -> BotApiError.unauthorized();
            case 403 -> BotApiError.blockedByUser();
            case 404 -> BotApiError.notFound();
            case 409 -> BotApiError.conflict("terminated by other getUpdates request");
            case 413 -> BotApiError.tooLarge();
            case 502 -> BotApiError.badGateway();
            default -> new BotApiError(code, "Internal Server Error", null);
        };
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private static long chatId(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("chatId"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chat id must be a number");
        }
    }

    private static String required(ApiParams p, String name) {
        String v = p.string(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    private static Upload upload(ApiParams p, String field) {
        Upload u = p.upload(field);
        return u != null ? u : p.upload("file");
    }

    /** The bytes of a multipart file part ({@code field} or "file"), or of a "base64" field (data: URLs too). */
    private static byte[] bytes(ApiParams p, String field) {
        Upload u = upload(p, field);
        if (u != null) {
            return u.bytes();
        }
        String b64 = p.string("base64");
        if (b64 == null) {
            throw new IllegalArgumentException("a multipart part '" + field + "' or a 'base64' field is required");
        }
        int comma = b64.startsWith("data:") ? b64.indexOf(',') : -1;
        try {
            return Base64.getMimeDecoder().decode(b64.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base64 is not valid Base64");
        }
    }

    private void get(Router router, String path, BiFunction<RoutingContext, ApiParams, Object> op) {
        getAsync(router, path, (ctx, p) -> Future.succeededFuture(op.apply(ctx, p)));
    }

    private void post(Router router, String path, BiFunction<RoutingContext, ApiParams, Object> op) {
        postAsync(router, path, (ctx, p) -> Future.succeededFuture(op.apply(ctx, p)));
    }

    private void getAsync(Router router, String path, BiFunction<RoutingContext, ApiParams, Future<?>> op) {
        router.route(HttpMethod.GET, path).handler(ctx -> handle(ctx, op));
    }

    private void postAsync(Router router, String path, BiFunction<RoutingContext, ApiParams, Future<?>> op) {
        router.route(HttpMethod.POST, path).handler(ctx -> handle(ctx, op));
    }

    private void handle(RoutingContext ctx, BiFunction<RoutingContext, ApiParams, Future<?>> op) {
        RequestBodies.read(ctx, MAX_CONTROL_BODY)
                .compose(p -> {
                    try {
                        return op.apply(ctx, p);
                    } catch (RuntimeException e) {
                        return Future.failedFuture(e);
                    }
                })
                .onSuccess(result -> ok(ctx, result))
                .onFailure(e -> {
                    if (e instanceof NotFound) {
                        error(ctx, 404, e.getMessage());
                    } else if (e instanceof ApiException api) {
                        error(
                                ctx,
                                api.error().code() == 413 ? 413 : 400,
                                api.error().description());
                    } else if (e instanceof IllegalArgumentException) {
                        error(ctx, 400, e.getMessage());
                    } else {
                        LOG.errorf(e, "control API failed");
                        error(ctx, 500, String.valueOf(e));
                    }
                });
    }

    private static void ok(RoutingContext ctx, Object result) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(
                        result instanceof JsonObject o
                                ? o.encode()
                                : result instanceof JsonArray a ? a.encode() : String.valueOf(result));
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(new JsonObject().put("error", message).encode());
    }
}
