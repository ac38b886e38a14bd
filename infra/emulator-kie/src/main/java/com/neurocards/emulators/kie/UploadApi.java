package com.neurocards.emulators.kie;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KIE's File Upload API (docs/outside-services.md#kie-photo-upload; on the real service a separate host): stream,
 * URL and base64 uploads, all answering
 * {@code {success, code, msg, data:{fileName, filePath, downloadUrl, fileSize, mimeType, uploadedAt}}};
 * and {@code GET /files/…}, which serves the stored bytes back until they expire.
 */
final class UploadApi {

    private static final String UPLOADED = "File uploaded successfully";
    private static final Pattern DATA_URL = Pattern.compile("^data:([^;,]+)?(;base64)?,", Pattern.CASE_INSENSITIVE);

    private final KieState state;
    private final RemoteFetcher fetcher;
    private final Responder responder;
    private final Supplier<String> baseUrl;

    UploadApi(KieState state, RemoteFetcher fetcher, Responder responder, Supplier<String> baseUrl) {
        this.state = state;
        this.fetcher = fetcher;
        this.responder = responder;
        this.baseUrl = baseUrl;
    }

    void routes(Router router) {
        router.post("/api/file-stream-upload").handler(this::streamUpload);
        router.post("/api/file-url-upload").handler(this::urlUpload);
        router.post("/api/file-base64-upload").handler(this::base64Upload);
        router.getWithRegex("/files/.+").handler(this::download);
        router.headWithRegex("/files/.+").handler(this::download);
    }

    private void streamUpload(RoutingContext ctx) {
        String key = authenticated(ctx, "stream");
        if (key == null) {
            return;
        }
        FileUpload file = ctx.fileUploads().stream()
                .filter(f -> "file".equals(f.name()))
                .findFirst()
                .orElse(null);
        if (file == null) {
            fail(ctx, "stream", key, null, 400, "file is required");
            return;
        }
        String uploadPath = ctx.request().getFormAttribute("uploadPath");
        String fileName = firstNonBlank(ctx.request().getFormAttribute("fileName"), file.fileName());
        Context context = Vertx.currentContext();
        ctx.vertx()
                .fileSystem()
                .readFile(file.uploadedFileName())
                .onComplete(read -> context.runOnContext(v -> {
                    if (read.failed()) {
                        fail(ctx, "stream", key, null, 500, KieMessages.INTERNAL_ERROR);
                    } else {
                        stored(
                                ctx,
                                "stream",
                                key,
                                null,
                                uploadPath,
                                fileName,
                                read.result().getBytes(),
                                file.contentType());
                    }
                }));
    }

    private void urlUpload(RoutingContext ctx) {
        String key = authenticated(ctx, "url");
        if (key == null) {
            return;
        }
        JsonObject body = CreateFlow.parse(ctx.body().asString());
        String fileUrl = body == null ? null : body.getString("fileUrl");
        state.scanForLeaks(
                "POST /api/file-url-upload", body == null ? ctx.body().asString() : body.encode());
        if (fileUrl == null || fileUrl.isBlank()) {
            fail(ctx, "url", key, fileUrl, 400, "fileUrl is required");
            return;
        }
        Context context = Vertx.currentContext();
        fetcher.fetchFile(fileUrl)
                .thenAccept(f -> context.runOnContext(v -> {
                    if (!f.ok()) {
                        fail(ctx, "url", key, fileUrl, 400, "File download failed: " + f.failure());
                    } else {
                        stored(
                                ctx,
                                "url",
                                key,
                                fileUrl,
                                body.getString("uploadPath"),
                                firstNonBlank(body.getString("fileName"), lastSegment(fileUrl)),
                                f.bytes(),
                                f.mimeType());
                    }
                }));
    }

    private void base64Upload(RoutingContext ctx) {
        String key = authenticated(ctx, "base64");
        if (key == null) {
            return;
        }
        JsonObject body = CreateFlow.parse(ctx.body().asString());
        String data = body == null ? null : body.getString("base64Data");
        if (data == null || data.isBlank()) {
            fail(ctx, "base64", key, null, 400, "base64Data is required");
            return;
        }
        String declared = null;
        Matcher m = DATA_URL.matcher(data);
        if (m.find()) {
            declared = m.group(1);
            data = data.substring(m.end());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length == 0) {
            fail(ctx, "base64", key, null, 400, "base64Data is not valid base64");
            return;
        }
        stored(ctx, "base64", key, null, body.getString("uploadPath"), body.getString("fileName"), bytes, declared);
    }

    private void download(RoutingContext ctx) {
        String path = URLDecoder.decode(ctx.request().path().substring("/files/".length()), StandardCharsets.UTF_8);
        UploadedFiles.StoredFile file = state.files.get(path);
        if (file == null) {
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "text/plain")
                    .end("Not Found");
            return;
        }
        ctx.response().putHeader("Content-Type", file.mimeType());
        if (ctx.request().method().name().equals("HEAD")) {
            ctx.response()
                    .putHeader("Content-Length", Integer.toString(file.bytes().length))
                    .end();
        } else {
            ctx.response().end(Buffer.buffer(file.bytes()));
        }
    }

    private String authenticated(RoutingContext ctx, String kind) {
        String key = state.keys.authenticate(ctx);
        if (key == null) {
            fail(ctx, kind, ApiKeys.bearer(ctx), null, 401, KieMessages.UNAUTHORIZED);
        }
        return key;
    }

    private void stored(
            RoutingContext ctx,
            String kind,
            String key,
            String sourceUrl,
            String uploadPath,
            String fileName,
            byte[] bytes,
            String declaredType) {
        if (bytes.length > state.settings.maxUploadBytes()) {
            fail(ctx, kind, key, sourceUrl, 400, "File size exceeds the limit");
            return;
        }
        UploadedFiles.StoredFile file = state.files.store(uploadPath, fileName, bytes, declaredType);
        String url = state.files.downloadUrl(baseUrl.get(), file);
        state.uploads.add(new KieRecords.ReceivedUpload(
                kind,
                key,
                file.filePath(),
                file.fileName(),
                bytes.length,
                file.mimeType(),
                url,
                sourceUrl,
                state.clock.instant(),
                200));
        JsonObject data = new JsonObject()
                .put("fileName", file.fileName())
                .put("filePath", file.filePath())
                .put("downloadUrl", url)
                .put("fileSize", bytes.length)
                .put("mimeType", file.mimeType())
                .put("uploadedAt", file.uploadedAt().toString());
        responder.json(
                ctx,
                200,
                new JsonObject()
                        .put("success", true)
                        .put("code", 200)
                        .put("msg", UPLOADED)
                        .put("data", data),
                null);
    }

    private void fail(RoutingContext ctx, String kind, String key, String sourceUrl, int code, String msg) {
        state.uploads.add(new KieRecords.ReceivedUpload(
                kind, key, null, null, 0, null, null, sourceUrl, state.clock.instant(), code));
        responder.json(
                ctx,
                responder.httpStatusFor(code),
                new JsonObject()
                        .put("success", false)
                        .put("code", code)
                        .put("msg", msg)
                        .put("data", null),
                null);
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String lastSegment(String url) {
        String path = url.replaceAll("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() ? null : last;
    }
}
