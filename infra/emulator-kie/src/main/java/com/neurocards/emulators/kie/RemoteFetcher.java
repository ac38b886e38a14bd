package com.neurocards.emulators.kie;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Downloads what clients point KIE at: task input images (no redirects, must really be an image —
 * docs/outside-services.md#kie-video-create) and {@code file-url-upload} sources (redirects allowed, 30 s budget —
 * #kie-photo-upload).
 */
final class RemoteFetcher {

    /** A download's outcome; {@code failure} is null on success. */
    record Fetched(byte[] bytes, String mimeType, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final HttpClient noRedirects;
    private final HttpClient followRedirects;
    private final Duration imageTimeout;
    private final long maxImageBytes;

    RemoteFetcher(Duration imageTimeout, long maxImageBytes) {
        this.imageTimeout = imageTimeout;
        this.maxImageBytes = maxImageBytes;
        this.noRedirects = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(imageTimeout)
                .build();
        this.followRedirects = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Fetches an input image the way KIE does: one GET, HTTP 200 only, JPEG/PNG/WebP/GIF content, size-capped. */
    CompletableFuture<Fetched> fetchImage(String url) {
        return get(noRedirects, url, imageTimeout).thenApply(f -> {
            if (!f.ok()) {
                return f;
            }
            String type = MediaTypes.sniffImage(f.bytes());
            if (type == null) {
                return new Fetched(null, null, "not an image (" + f.mimeType() + ", " + f.bytes().length + " bytes)");
            }
            if (f.bytes().length > maxImageBytes) {
                return new Fetched(null, null, "image too large (" + f.bytes().length + " bytes)");
            }
            return new Fetched(f.bytes(), type, null);
        });
    }

    /** Fetches any file for {@code file-url-upload}. */
    CompletableFuture<Fetched> fetchFile(String url) {
        return get(followRedirects, url, Duration.ofSeconds(30));
    }

    private static CompletableFuture<Fetched> get(HttpClient client, String url, Duration timeout) {
        HttpRequest request;
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                return CompletableFuture.completedFuture(new Fetched(null, null, "not an http(s) URL"));
            }
            request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("User-Agent", "KIE-emulator/1.0")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Fetched(null, null, "invalid URL"));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> r.statusCode() == 200
                        ? new Fetched(
                                r.body(),
                                r.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                                null)
                        : new Fetched(null, null, "HTTP " + r.statusCode()))
                .exceptionally(e -> new Fetched(null, null, rootMessage(e)));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
