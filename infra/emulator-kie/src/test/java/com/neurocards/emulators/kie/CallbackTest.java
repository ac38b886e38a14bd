package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallbackTest extends KieTestBase {

    record Received(String body, String timestamp, String signature) {}

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private String callbackUrl;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/kie/callback", exchange -> {
            received.add(new Received(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Webhook-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Webhook-Signature")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        callbackUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/kie/callback";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void successCallbackIsSignedWithHmac() throws Exception {
        kie.setWebhookHmacKey("whsec-test");
        String taskId = create("A mug [kie:polls=0]");

        await().until(() -> received.size() == 1);
        Received cb = received.get(0);
        JsonObject body = new JsonObject(cb.body());
        assertThat(body.getInteger("code")).isEqualTo(200);
        assertThat(body.getString("msg")).isEqualTo("Veo3.1 video generated successfully.");
        assertThat(body.getJsonObject("data").getString("taskId")).isEqualTo(taskId);
        assertThat(body.getJsonObject("data").getJsonObject("info").getJsonArray("resultUrls"))
                .hasSize(1);

        // verify exactly as docs/outside-services.md#kie-callbacks says a receiver should
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec-test".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder()
                .encodeToString(mac.doFinal((body.getJsonObject("data").getString("task_id") + "." + cb.timestamp())
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(MessageDigest.isEqual(expected.getBytes(), cb.signature().getBytes()))
                .isTrue();
        assertThat(Long.parseLong(cb.timestamp())).isEqualTo(CLOCK.instant().getEpochSecond());

        await().until(() -> kie.callbacks().size() == 1);
        assertThat(kie.callbacks().get(0).status()).isEqualTo(200);
        assertThat(kie.callbacks().get(0).signature()).isEqualTo(cb.signature());
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isEqualTo(1); // still the authority
    }

    @Test
    void failureCallbackCarriesTheErrorCodeAndNoSignatureWithoutAKey() {
        String taskId = create("A mug [kie:fail=content,polls=0]");
        await().until(() -> received.size() == 1);
        Received cb = received.get(0);
        JsonObject body = new JsonObject(cb.body());
        assertThat(body.getInteger("code")).isEqualTo(400);
        assertThat(body.getString("msg")).contains("flagged");
        assertThat(body.getJsonObject("data").getString("taskId")).isEqualTo(taskId);
        assertThat(cb.signature()).isNull();
        assertThat(cb.timestamp()).isNull();
    }

    @Test
    void callbackIsSentOnceWhenThePollFindsCompletion() {
        String taskId = create("A mug [kie:polls=1]");
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isZero();
        assertThat(http.recordInfo(taskId).data().getInteger("successFlag")).isEqualTo(1);
        http.recordInfo(taskId);
        await().until(() -> received.size() == 1);
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(received).hasSize(1);
    }

    @Test
    void marketCallbackHasTheRecordInfoShape() {
        JsonObject body = new JsonObject()
                .put("model", "sora-2-text-to-video")
                .put("callBackUrl", callbackUrl)
                .put(
                        "input",
                        new JsonObject().put("prompt", "A mug [kie:polls=0]").put("aspect_ratio", "portrait"));
        String taskId = http.post("/api/v1/jobs/createTask", body).data().getString("taskId");
        await().until(() -> received.size() == 1);
        JsonObject cb = new JsonObject(received.get(0).body());
        assertThat(cb.getInteger("code")).isEqualTo(200);
        assertThat(cb.getJsonObject("data").getString("taskId")).isEqualTo(taskId);
        assertThat(cb.getJsonObject("data").getString("state")).isEqualTo("success");
        assertThat(new JsonObject(cb.getJsonObject("data").getString("resultJson")).getJsonArray("resultUrls"))
                .hasSize(1);
    }

    private String create(String prompt) {
        JsonObject body = new JsonObject().put("prompt", prompt).put("callBackUrl", callbackUrl);
        return http.post("/api/v1/veo/generate", body).data().getString("taskId");
    }
}
