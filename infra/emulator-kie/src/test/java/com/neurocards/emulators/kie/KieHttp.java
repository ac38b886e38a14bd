package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** A plain java.net.http client for the emulator, the way the pipeline talks to KIE. */
final class KieHttp {

    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        int code() {
            return json().getInteger("code");
        }

        String msg() {
            return json().getString("msg");
        }

        JsonObject data() {
            return json().getJsonObject("data");
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    KieHttp(String base, String key) {
        this.base = base;
        this.key = key;
    }

    KieHttp withKey(String otherKey) {
        return new KieHttp(base, otherKey);
    }

    Reply post(String path, JsonObject body) {
        return post(path, body.encode());
    }

    Reply post(String path, String body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply veoGenerate(String prompt, String... imageUrls) {
        JsonObject body = new JsonObject()
                .put("prompt", prompt)
                .put("model", "veo3_fast")
                .put("aspectRatio", "9:16")
                .put("aspect_ratio", "9:16");
        if (imageUrls.length > 0) {
            body.put("imageUrls", new JsonArray(List.of(imageUrls)))
                    .put("generationType", "FIRST_AND_LAST_FRAMES_2_VIDEO");
        }
        return post("/api/v1/veo/generate", body);
    }

    Reply recordInfo(String taskId) {
        return get("/api/v1/veo/record-info?taskId=" + taskId);
    }

    Reply streamUpload(String fileName, String uploadPath, byte[] content, String contentType) {
        String boundary = "----kie" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"uploadPath\"\r\n\r\n" + uploadPath
                            + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n" + fileName
                            + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                            + "\"\r\nContent-Type: " + contentType + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request("/api/file-stream-upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
                .build());
    }

    HttpResponse<byte[]> download(String url) {
        try {
            return client.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("User-Agent", "neurocards-test/1.0");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A valid 1x1 PNG: the smallest thing KIE accepts as a product photo. */
    static byte[] png() {
        return Base64.getDecoder()
                .decode(
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    }
}
