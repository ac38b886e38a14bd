package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.error.KieCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * KIE over HTTP (docs/outside-services.md#kie): photo upload, Veo create and record-info. Reads the
 * {@code {code, msg, data}} envelope of every answer — KIE reports most errors as HTTP 200 with {@code code != 200}
 * — and turns anything but success into a {@link KieException} carrying its classification. Blocking; stages call
 * it off the event loop.
 */
@ApplicationScoped
public class KieClient {

    private static final String USER_AGENT = "Mozilla/5.0 (compatible; NeuroCards/1.0)";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final String apiUrl;
    private final String uploadUrl;
    private final Duration requestTimeout;
    private final Duration uploadTimeout;
    private final List<String> secrets;

    @Inject
    public KieClient(PipelineConfig config) {
        this(config.kie().apiUrl(), config.kie().uploadUrl(), config.kie().connectTimeout(), config.kie().requestTimeout(),
                config.kie().uploadTimeout(), config.kie().apiKeys().orElse(List.of()));
    }

    public KieClient(String apiUrl, String uploadUrl, Duration connectTimeout, Duration requestTimeout,
                     Duration uploadTimeout, List<String> secrets) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.apiUrl = trim(apiUrl);
        this.uploadUrl = trim(uploadUrl);
        this.requestTimeout = requestTimeout;
        this.uploadTimeout = uploadTimeout;
        this.secrets = List.copyOf(secrets);
    }

    /** Stream-uploads a file; returns the URL KIE serves it from ({@code data.downloadUrl}, else {@code data.fileUrl}). */
    public String upload(String key, byte[] bytes, String fileName, String mimeType) {
        String boundary = "----neurocards" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        writeText(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"uploadPath\"\r\n\r\nneurocards\r\n");
        writeText(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n" + fileName + "\r\n");
        writeText(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + mimeType + "\r\n\r\n");
        body.writeBytes(bytes);
        writeText(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = base(uploadUrl + "/api/file-stream-upload", key, uploadTimeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode data = call(request, KieCall.UPLOAD);
        String url = text(data, "downloadUrl");
        if (url == null) {
            url = text(data, "fileUrl");
        }
        if (url == null) {
            throw new KieException(new Classification(ErrorClass.UNKNOWN, 200, "KIE upload answered without a downloadUrl"));
        }
        return url;
    }

    /**
     * {@code POST /api/v1/veo/generate} (docs/outside-services.md#kie-video-create): image-to-video, the ratio under
     * both spellings, translation on, no {@code enableFallback}. Returns the task id.
     */
    public String createVeo(String key, VeoRequest veo) {
        ObjectNode body = json.createObjectNode();
        body.put("prompt", veo.prompt());
        body.putArray("imageUrls").add(veo.imageUrl());
        body.put("model", veo.model());
        body.put("generationType", "FIRST_AND_LAST_FRAMES_2_VIDEO");
        body.put("aspectRatio", veo.aspectRatio());
        body.put("aspect_ratio", veo.aspectRatio());
        body.put("enableTranslation", true);
        if (veo.callbackUrl() != null && !veo.callbackUrl().isBlank()) {
            body.put("callBackUrl", veo.callbackUrl());
        }
        HttpRequest request = base(apiUrl + "/api/v1/veo/generate", key, requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        JsonNode data = call(request, KieCall.CREATE);
        String taskId = text(data, "taskId");
        if (taskId == null) {
            // The create was accepted but the answer does not say as what: do not create it again blindly.
            throw new KieException(new Classification(ErrorClass.UNKNOWN, 200, "KIE create answered without a taskId"),
                    true, null);
        }
        return taskId;
    }

    /** {@code GET /api/v1/veo/record-info}: the source of truth about a task. */
    public RecordInfo recordInfo(String key, String taskId) {
        HttpRequest request = base(apiUrl + "/api/v1/veo/record-info?taskId="
                + URLEncoder.encode(taskId, StandardCharsets.UTF_8), key, requestTimeout).GET().build();
        JsonNode data = call(request, KieCall.RECORD_INFO);
        if (data == null || !data.isObject()) {
            throw new KieException(new Classification(ErrorClass.TEMPORARY, 200, "KIE record-info answered without data"));
        }
        JsonNode response = data.path("response");
        List<String> urls = urls(response.path("resultUrls"));
        Integer errorCode = data.hasNonNull("errorCode") && data.get("errorCode").canConvertToInt()
                ? Integer.valueOf(data.get("errorCode").asInt()) : parseInt(text(data, "errorCode"));
        return new RecordInfo(taskId, data.path("successFlag").asInt(-1), urls, text(response, "resolution"), errorCode,
                text(data, "errorMessage"));
    }

    /** {@code GET /api/v1/chat/credit}: the account's credit balance as this key sees it. */
    public long credits(String key) {
        HttpRequest request = base(apiUrl + "/api/v1/chat/credit", key, requestTimeout).GET().build();
        JsonNode data = call(request, KieCall.CREDIT);
        if (data != null && data.isTextual() && parseInt(data.asText()) != null) {
            return parseInt(data.asText());
        }
        if (data == null || !data.canConvertToLong()) {
            throw new KieException(new Classification(ErrorClass.TEMPORARY, 200, "KIE credit answered without a number"));
        }
        return data.asLong();
    }

    /** {@code resultUrls} is an array per the docs, a JSON string in one rendering of them: read both. */
    private List<String> urls(JsonNode node) {
        List<String> urls = new ArrayList<>();
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.startsWith("[")) {
                try {
                    node = json.readTree(s);
                } catch (IOException e) {
                    return urls;
                }
            } else if (!s.isEmpty()) {
                urls.add(s);
                return urls;
            }
        }
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual() && !n.asText().isBlank()) {
                    urls.add(n.asText());
                }
            });
        }
        return urls;
    }

    private HttpRequest.Builder base(String url, String key, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
    }

    /** Sends, reads the envelope, returns {@code data} on code 200; throws a classified {@link KieException} otherwise. */
    private JsonNode call(HttpRequest request, KieCall kind) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new KieException(ErrorClassifier.network("KIE", redacted(e)), false, null);
        } catch (IOException e) {
            // Sent, but no answer: the work may have been done.
            throw new KieException(ErrorClassifier.network("KIE", redacted(e)), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KieException(ErrorClassifier.network("KIE", e), true, null);
        }
        JsonNode envelope = null;
        try {
            envelope = json.readTree(response.body());
        } catch (IOException e) {
            // not JSON: a proxy's error page, or a body cut off
        }
        if (envelope == null || !envelope.isObject() || !envelope.has("code")) {
            if (response.statusCode() != 200) {
                throw new KieException(ErrorClassifier.kieHttp(response.statusCode()));
            }
            throw new KieException(new Classification(ErrorClass.TEMPORARY, 200, "KIE answered an unreadable body"),
                    true, null);
        }
        int code = envelope.path("code").asInt(-1);
        if (code == 200) {
            return envelope.get("data");
        }
        String msg = envelope.hasNonNull("msg") ? envelope.get("msg").asText() : text(envelope, "message");
        throw new KieException(ErrorClassifier.kieEnvelope(kind, code, Redaction.redact(msg, secrets)));
    }

    private Exception redacted(Exception e) {
        return new IOException(Redaction.redact(e.getClass().getSimpleName() + " " + e.getMessage(), secrets));
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void writeText(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
