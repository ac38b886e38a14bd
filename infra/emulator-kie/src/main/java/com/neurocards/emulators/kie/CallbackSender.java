package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * POSTs completion callbacks (docs/outside-services.md#kie-callbacks): one attempt, 15 s timeout by default, and
 * when a webhook HMAC key is configured the headers {@code X-Webhook-Timestamp} (unix seconds) and
 * {@code X-Webhook-Signature} = base64(HMAC-SHA256(taskId + "." + timestamp, key)).
 */
final class CallbackSender {

    private static final Logger LOG = Logger.getLogger(CallbackSender.class);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Clock clock;
    private final Duration timeout;
    private final Supplier<String> hmacKey;
    private final Consumer<KieRecords.SentCallback> record;

    CallbackSender(Clock clock, Duration timeout, Supplier<String> hmacKey, Consumer<KieRecords.SentCallback> record) {
        this.clock = clock;
        this.timeout = timeout;
        this.hmacKey = hmacKey;
        this.record = record;
    }

    void send(String url, String taskId, JsonObject body) {
        String key = hmacKey.get();
        String timestamp = key == null ? null : Long.toString(clock.instant().getEpochSecond());
        String signature = key == null ? null : sign(taskId, timestamp, key);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        } catch (IllegalArgumentException e) {
            record.accept(new KieRecords.SentCallback(
                    url, taskId, body, timestamp, signature, 0, "invalid URL", clock.instant()));
            return;
        }
        if (key != null) {
            request.header("X-Webhook-Timestamp", timestamp).header("X-Webhook-Signature", signature);
        }
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.debugf("callback for %s to %s failed: %s", taskId, url, error.toString());
                    }
                    record.accept(new KieRecords.SentCallback(
                            url,
                            taskId,
                            body,
                            timestamp,
                            signature,
                            response == null ? 0 : response.statusCode(),
                            error == null ? null : error.toString(),
                            clock.instant()));
                });
    }

    /** base64(HMAC-SHA256(taskId + "." + timestamp, key)) — public so tests and clients can verify. */
    static String sign(String taskId, String timestamp, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((taskId + "." + timestamp).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
