package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * The Bot API front door: {@code /bot<token>/<method>} (method names in any case) and the file downloads
 * {@code /file/bot<token>/<file_path>}. Reads the parameters whatever the encoding, checks the token (401) and the
 * method (404), records the call, applies a scripted fault if one is due, runs the method and writes Telegram's
 * envelope. The token never appears in a log line.
 */
final class BotApi {

    private static final Logger LOG = Logger.getLogger(BotApi.class);

    private final String token;
    private final MethodRegistry methods;
    private final Faults faults;
    private final CallLog calls;
    private final Files files;
    private final Limits limits;

    BotApi(String token, MethodRegistry methods, Faults faults, CallLog calls, Files files, Limits limits) {
        this.token = token;
        this.methods = methods;
        this.faults = faults;
        this.calls = calls;
        this.files = files;
        this.limits = limits;
    }

    void mount(Router router, Vertx vertx) {
        router.routeWithRegex(HttpMethod.GET, "^/file/bot([^/]*)/(.+)$").handler(this::download);
        router.routeWithRegex("^/bot([^/]*)/([^/]*)$").handler(ctx -> call(ctx, vertx));
    }

    private void call(RoutingContext ctx, Vertx vertx) {
        String givenToken = ctx.pathParam("param0");
        String methodName = ctx.pathParam("param1");
        RequestBodies.read(ctx, limits.maxUploadBytes()).onComplete(read -> {
            if (read.failed()) {
                answer(ctx, Future.failedFuture(read.cause()), -1);
                return;
            }
            if (!token.equals(givenToken)) {
                respond(ctx, BotApiError.unauthorized(), -1);
                return;
            }
            ApiParams params = read.result();
            MethodRegistry.Entry method = methods.find(methodName);
            long seq = calls.record(method == null ? methodName : method.name(), params.toLogJson());
            if (method == null) {
                respond(ctx, BotApiError.notFound(), seq);
                return;
            }
            LOG.debugf("bot call %s", method.name());
            Faults.Fault fault = faults.take(method.name());
            if (fault == null) {
                answer(ctx, run(method, params), seq);
            } else if (fault.dropAnswer()) {
                run(method, params).onComplete(done -> dropAnswer(ctx, seq));
            } else if (fault.delay() == null || fault.delay().isZero()) {
                answer(
                        ctx,
                        fault.error() != null
                                ? Future.failedFuture(fault.error().exception())
                                : run(method, params),
                        seq);
            } else {
                vertx.setTimer(
                        fault.delay().toMillis(),
                        t -> answer(
                                ctx,
                                fault.error() != null
                                        ? Future.failedFuture(fault.error().exception())
                                        : run(method, params),
                                seq));
            }
        });
    }

    private static Future<Object> run(MethodRegistry.Entry method, ApiParams params) {
        try {
            return method.method().call(params);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private void answer(RoutingContext ctx, Future<Object> result, long seq) {
        result.onComplete(done -> {
            if (done.succeeded()) {
                if (seq > 0) {
                    calls.answered(seq, 200, null);
                }
                ctx.response()
                        .setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("ok", true)
                                .put("result", done.result())
                                .encode());
            } else if (done.cause() instanceof ApiException e) {
                respond(ctx, e.error(), seq);
            } else {
                LOG.errorf(done.cause(), "emulator bug while answering a Bot API call");
                respond(ctx, BotApiError.internal(), seq);
            }
        });
    }

    /** The call ran (its effects stay); its answer is lost: the connection closes without a response. */
    private void dropAnswer(RoutingContext ctx, long seq) {
        if (seq > 0) {
            calls.answered(seq, 0, "answer dropped (fault)");
        }
        ctx.request().connection().close();
    }

    private void respond(RoutingContext ctx, BotApiError error, long seq) {
        if (seq > 0) {
            calls.answered(seq, error.code(), error.description());
        }
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response()
                .setStatusCode(error.code())
                .putHeader("Content-Type", "application/json")
                .end(error.toJson().encode());
    }

    private void download(RoutingContext ctx) {
        if (!token.equals(ctx.pathParam("param0"))) {
            respond(ctx, BotApiError.unauthorized(), -1);
            return;
        }
        files.byIssuedPath(ctx.pathParam("param1"))
                .ifPresentOrElse(
                        file -> ctx.response()
                                .putHeader(
                                        "Content-Type",
                                        file.mimeType() == null ? "application/octet-stream" : file.mimeType())
                                .end(Buffer.buffer(file.bytes())),
                        () -> respond(ctx, BotApiError.notFound(), -1));
    }

    /** "123456:***": what a log line may show of a token. */
    static String mask(String token) {
        int colon = token.indexOf(':');
        return (colon < 0 ? "" : token.substring(0, colon + 1)) + "***";
    }
}
