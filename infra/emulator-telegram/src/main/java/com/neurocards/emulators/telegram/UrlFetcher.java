package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches an HTTP URL the bot passed instead of a file, as Telegram's servers do, refusing more than the cap
 * (5 MB for photos, 20 MB for other content). Runs on a Vert.x worker thread.
 */
final class UrlFetcher {

    static final String FETCH_FAILED = "failed to get HTTP URL content";

    record Fetched(byte[] bytes, String contentType, String fileName) {}

    private final HttpClient http;
    private final Duration timeout;

    UrlFetcher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    static boolean isHttpUrl(String s) {
        String lower = s.toLowerCase();
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    Future<Fetched> fetch(Vertx vertx, String url, long maxBytes) {
        return vertx.executeBlocking(() -> fetchBlocking(url, maxBytes), false);
    }

    private Fetched fetchBlocking(String url, long maxBytes) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .GET()
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw ApiException.badRequest(FETCH_FAILED);
                }
                long declared =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw ApiException.badRequest(FETCH_FAILED);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (out.size() > maxBytes) {
                        throw ApiException.badRequest(FETCH_FAILED);
                    }
                }
                String path = URI.create(url).getPath();
                String name = path == null || path.endsWith("/") ? null : path.substring(path.lastIndexOf('/') + 1);
                return new Fetched(
                        out.toByteArray(),
                        response.headers().firstValue("Content-Type").orElse(null),
                        name == null || name.isEmpty() ? null : name);
            }
        } catch (ApiException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.badRequest(FETCH_FAILED);
        } catch (Exception e) {
            throw ApiException.badRequest(FETCH_FAILED);
        }
    }
}
