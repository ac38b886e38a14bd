package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Writes KIE's {@code {code, msg, data}} envelope. Errors go out as HTTP 200 with the code in the body, as the real
 * service does (docs/outside-services.md#kie-envelope), unless {@link KieSettings.StatusMode#MIRROR_CODE} asks for
 * real statuses. Every answer can be held for a delay to simulate a slow service.
 */
final class Responder {

    private final KieSettings settings;

    Responder(KieSettings settings) {
        this.settings = settings;
    }

    static JsonObject envelope(int code, String msg, Object data) {
        return new JsonObject().put("code", code).put("msg", msg).put("data", data);
    }

    void ok(RoutingContext ctx, Object data, Duration delay) {
        json(ctx, 200, envelope(200, KieMessages.SUCCESS, data), delay);
    }

    void error(RoutingContext ctx, int code, String msg, Duration delay) {
        json(ctx, httpStatusFor(code), envelope(code, msg, null), delay);
    }

    void error(RoutingContext ctx, int code, String msg) {
        error(ctx, code, msg, Duration.ZERO);
    }

    int httpStatusFor(int code) {
        return settings.statusMode() == KieSettings.StatusMode.MIRROR_CODE && code >= 400 && code <= 599 ? code : 200;
    }

    void json(RoutingContext ctx, int httpStatus, JsonObject body, Duration delay) {
        later(ctx, delay, () -> ctx.response()
                .setStatusCode(httpStatus)
                .putHeader("Content-Type", "application/json;charset=UTF-8")
                .end(body.encode()));
    }

    /** A real HTTP error with a non-JSON body, like the proxy in front of KIE answers. */
    void httpError(RoutingContext ctx, int status, String body, Duration delay) {
        later(ctx, delay, () -> ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/html;charset=UTF-8")
                .end(body == null ? "" : body));
    }

    /** HTTP 200 that claims JSON but is cut off mid-object. */
    void malformed(RoutingContext ctx, Duration delay) {
        later(ctx, delay, () -> ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json;charset=UTF-8")
                .end("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"veo_task_"));
    }

    /** No answer: the connection is closed, as a reset or a proxy giving up looks to the client. */
    void drop(RoutingContext ctx, Duration delay) {
        later(ctx, delay, () -> ctx.request().connection().close());
    }

    private static void later(RoutingContext ctx, Duration delay, Runnable send) {
        if (delay == null || delay.isZero() || delay.isNegative()) {
            send.run();
            return;
        }
        ctx.vertx().setTimer(delay.toMillis(), id -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                send.run();
            }
        });
    }
}
