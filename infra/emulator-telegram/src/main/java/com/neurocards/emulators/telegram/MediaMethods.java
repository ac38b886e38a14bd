package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * sendPhoto, sendVideo, sendDocument and getFile. Media comes as an upload (multipart part, or "attach://name"),
 * as an HTTP URL the emulator fetches itself (5 MB cap for photos, 20 MB otherwise), or as a file_id it issued.
 */
final class MediaMethods {

    private final Chats chats;
    private final Files files;
    private final RateLimiter rateLimiter;
    private final Limits limits;
    private final UrlFetcher fetcher;
    private final Supplier<Vertx> vertx;

    MediaMethods(Chats chats, Files files, RateLimiter rateLimiter, Limits limits, Supplier<Vertx> vertx) {
        this.chats = chats;
        this.files = files;
        this.rateLimiter = rateLimiter;
        this.limits = limits;
        this.vertx = vertx;
        this.fetcher = new UrlFetcher(limits.urlFetchTimeout());
    }

    void register(MethodRegistry registry) {
        registry.add("sendPhoto", p -> send(p, StoredFile.Kind.PHOTO, "photo"));
        registry.add("sendVideo", p -> send(p, StoredFile.Kind.VIDEO, "video"));
        registry.add("sendDocument", p -> send(p, StoredFile.Kind.DOCUMENT, "document"));
        registry.sync("getFile", this::getFile);
    }

    private Future<Object> send(ApiParams params, StoredFile.Kind kind, String field) {
        long chatId;
        JsonObject content;
        Compose.Markup markup;
        try {
            chatId = chats.writableChat(params);
            content = Compose.caption(params, limits);
            markup = Compose.markup(params, limits);
            markup.putInto(content);
            Compose.replyTo(params, chatId, chats, content);
            Compose.flags(params, content);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        return resolve(params, kind, field).map(stored -> {
            rateLimiter.acquire(chatId);
            content.put(
                    field,
                    kind == StoredFile.Kind.PHOTO
                            ? new JsonArray(stored.stream()
                                    .map(StoredFile::photoSizeJson)
                                    .toList())
                            : stored.get(0).mediaJson());
            return chats.addBotMessage(chatId, content, markup.other()).json();
        });
    }

    private Future<List<StoredFile>> resolve(ApiParams params, StoredFile.Kind kind, String field) {
        Upload upload = params.upload(field);
        String ref = params.string(field);
        if (upload == null && ref != null && ref.startsWith("attach://")) {
            upload = params.upload(ref.substring("attach://".length()));
        }
        if (upload != null) {
            Upload u = upload;
            return store(kind, u.bytes(), u.contentType(), u.fileName(), params);
        }
        if (ref == null || ref.isBlank()) {
            return Future.failedFuture(ApiException.badRequest("there is no " + field + " in the request"));
        }
        if (UrlFetcher.isHttpUrl(ref)) {
            long cap = kind == StoredFile.Kind.PHOTO ? limits.maxPhotoUrlBytes() : limits.maxUrlBytes();
            return fetcher.fetch(vertx.get(), ref, cap).compose(fetched -> {
                if (kind == StoredFile.Kind.PHOTO && MediaProbe.imageSize(fetched.bytes()) == null) {
                    return Future.failedFuture(ApiException.badRequest("wrong type of the web page content"));
                }
                return store(kind, fetched.bytes(), fetched.contentType(), fetched.fileName(), params);
            });
        }
        return byFileId(ref, kind);
    }

    private Future<List<StoredFile>> byFileId(String fileId, StoredFile.Kind kind) {
        ApiException wrong = ApiException.badRequest("wrong file identifier/HTTP URL specified");
        if (kind == StoredFile.Kind.PHOTO) {
            List<StoredFile> set = files.photoSet(fileId);
            return set.isEmpty() ? Future.failedFuture(wrong) : Future.succeededFuture(set);
        }
        return files.byId(fileId)
                .filter(f -> f.kind() == kind
                        || (kind == StoredFile.Kind.VIDEO
                                && f.kind() == StoredFile.Kind.DOCUMENT
                                && f.mimeType() != null
                                && f.mimeType().startsWith("video/")))
                .map(f -> Future.succeededFuture(List.of(f)))
                .orElseGet(() -> Future.failedFuture(wrong));
    }

    /** Probing and thumbnailing can take a while on big files: off the event loop. */
    private Future<List<StoredFile>> store(
            StoredFile.Kind kind, byte[] bytes, String contentType, String fileName, ApiParams params) {
        return vertx.get()
                .executeBlocking(
                        () -> switch (kind) {
                            case PHOTO -> storePhoto(bytes);
                            case VIDEO -> List.of(storeVideo(bytes, contentType, fileName, params));
                            default -> List.of(files.store(
                                    StoredFile.Kind.DOCUMENT,
                                    bytes,
                                    documentMime(contentType, fileName),
                                    fileName == null ? "document" : fileName,
                                    0,
                                    0,
                                    0));
                        },
                        false);
    }

    private List<StoredFile> storePhoto(byte[] bytes) {
        if (bytes.length > limits.maxPhotoUploadBytes()) {
            throw ApiException.badRequest("file is too big");
        }
        int[] size = MediaProbe.imageSize(bytes);
        if (size == null) {
            throw ApiException.badRequest("IMAGE_PROCESS_FAILED");
        }
        // Telegram: width + height at most 10000, ratio at most 20.
        if (size[0] + size[1] > 10_000 || Math.max(size[0], size[1]) > 20L * Math.min(size[0], size[1])) {
            throw ApiException.badRequest("PHOTO_INVALID_DIMENSIONS");
        }
        return files.storePhoto(bytes);
    }

    private StoredFile storeVideo(byte[] bytes, String contentType, String fileName, ApiParams params) {
        MediaProbe.VideoInfo probed = MediaProbe.mp4(bytes);
        Integer width = params.intValue("width", "wrong parameter width");
        Integer height = params.intValue("height", "wrong parameter height");
        Integer duration = params.intValue("duration", "wrong parameter duration");
        String mime = contentType != null && contentType.startsWith("video/") ? contentType : "video/mp4";
        return files.store(
                StoredFile.Kind.VIDEO,
                bytes,
                mime,
                fileName,
                width != null ? width : probed.width(),
                height != null ? height : probed.height(),
                duration != null ? duration : probed.durationSeconds());
    }

    private Object getFile(ApiParams params) {
        String fileId = params.string("file_id");
        StoredFile file = fileId == null ? null : files.byId(fileId).orElse(null);
        if (file == null) {
            throw ApiException.badRequest("invalid file_id");
        }
        if (file.size() > limits.maxGetFileBytes()) {
            throw ApiException.badRequest("file is too big");
        }
        files.issuePath(file);
        return new JsonObject()
                .put("file_id", file.fileId())
                .put("file_unique_id", file.fileUniqueId())
                .put("file_size", file.size())
                .put("file_path", file.filePath());
    }

    static String documentMime(String contentType, String fileName) {
        if (contentType != null && !contentType.isBlank() && !contentType.startsWith("application/octet-stream")) {
            return contentType;
        }
        String name = fileName == null ? "" : fileName.toLowerCase();
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".webp")) {
            return "image/webp";
        }
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (name.endsWith(".pdf")) {
            return "application/pdf";
        }
        return "application/octet-stream";
    }
}
