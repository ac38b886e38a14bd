package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Raw HTTP to the emulator, for the tests that check exact status codes and error bodies. */
final class BotHttp {

    record Answer(int status, JsonObject body) {
        JsonObject result() {
            return body.getJsonObject("result");
        }

        String description() {
            return body.getString("description");
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    BotHttp(TelegramEmulator emulator) {
        this.baseUrl = emulator.baseUrl();
        this.token = emulator.token();
    }

    Answer call(String method, JsonObject params) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(params.encode())));
    }

    Answer callWithToken(String otherToken, String method, JsonObject params) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + otherToken + "/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(params.encode())));
    }

    Answer form(String method, Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Answer query(String method, String queryString) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method + "?" + queryString))
                .GET());
    }

    /** multipart/form-data with text fields and one file part. */
    Answer multipart(String method, Map<String, String> fields, String fileField, String fileName, byte[] bytes) {
        String boundary = "----emu" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((k, v) -> write(
                out,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                        + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + v + "\r\n"));
        write(
                out,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                        + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(bytes);
        write(out, "\r\n--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    HttpResponse<byte[]> get(String url) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A control API call: POST with a JSON body (or GET when body is null). */
    Answer control(String path, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        }
        return send(request);
    }

    String controlRaw(String path) {
        return new String(get(baseUrl + path).body(), StandardCharsets.UTF_8);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(
                    response.statusCode(),
                    body.startsWith("{") ? new JsonObject(body) : new JsonObject().put("raw", body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
