package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a request's parameters the ways the Bot API accepts them: query string, application/json,
 * application/x-www-form-urlencoded and multipart/form-data (files kept in memory, never on disk).
 * A body over {@code maxBytes} is read to its end and discarded, then answered with 413, like Telegram's front end:
 * answering while the client still writes would make most clients see a broken pipe instead of the 413.
 */
final class RequestBodies {

    /** Multipart framing around the file itself; the 50 MB limit is on the file, not the envelope. */
    private static final long ENVELOPE_ALLOWANCE = 256 * 1024;

    private RequestBodies() {}

    static Future<ApiParams> read(RoutingContext ctx, long maxBytes) {
        HttpServerRequest request = ctx.request();
        Map<String, Object> values = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> values.put(e.getKey(), e.getValue()));
        Map<String, Upload> uploads = new LinkedHashMap<>();
        Promise<ApiParams> promise = Promise.promise();
        long limit = maxBytes + ENVELOPE_ALLOWANCE;
        long declared = parseLong(request.getHeader("Content-Length"));
        boolean[] tooLarge = {declared > limit};
        long[] received = {0};

        String contentType = request.getHeader("Content-Type") == null
                ? ""
                : request.getHeader("Content-Type").toLowerCase();
        boolean form = contentType.startsWith("multipart/form-data")
                || contentType.startsWith("application/x-www-form-urlencoded");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();

        if (form && !tooLarge[0]) {
            request.setExpectMultipart(true);
            request.uploadHandler(upload -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                upload.handler(buf -> {
                    received[0] += buf.length();
                    if (received[0] > limit || bytes.size() + buf.length() > maxBytes) {
                        tooLarge[0] = true;
                    } else {
                        bytes.write(buf.getBytes(), 0, buf.length());
                    }
                });
                upload.endHandler(v -> {
                    if (!tooLarge[0]) {
                        uploads.put(
                                upload.name(),
                                new Upload(
                                        upload.name(), upload.filename(), upload.contentType(), bytes.toByteArray()));
                    }
                });
            });
        } else {
            request.handler(buf -> {
                received[0] += buf.length();
                if (received[0] > limit) {
                    tooLarge[0] = true;
                } else if (!tooLarge[0]) {
                    raw.write(buf.getBytes(), 0, buf.length());
                }
            });
        }
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> {
            if (tooLarge[0]) {
                promise.tryFail(BotApiError.tooLarge().exception());
                return;
            }
            if (form) {
                request.formAttributes().forEach(e -> values.put(e.getKey(), e.getValue()));
            } else if (raw.size() > 0 && contentType.startsWith("application/json")) {
                try {
                    values.putAll(new JsonObject(Buffer.buffer(raw.toByteArray())).getMap());
                } catch (DecodeException | ClassCastException e) {
                    promise.tryFail(ApiException.badRequest(
                            "can't parse JSON encoded request: " + firstLine(raw.toString(StandardCharsets.UTF_8))));
                    return;
                }
            }
            promise.tryComplete(new ApiParams(values, uploads));
        });
        request.resume();
        return promise.future();
    }

    private static String firstLine(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
