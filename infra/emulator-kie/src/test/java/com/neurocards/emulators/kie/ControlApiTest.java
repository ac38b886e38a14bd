package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The /control HTTP API, as a demo script or a test in another process would use it. */
class ControlApiTest extends KieTestBase {

    private final KieHttp control = new KieHttp(kie.baseUrl(), null);

    @Test
    void scriptCreatesAndPollsOverHttp() {
        assertThat(control.post(
                                "/control/creates",
                                new JsonObject()
                                        .put("count", 2)
                                        .put(
                                                "outcome",
                                                new JsonObject()
                                                        .put("type", "envelope")
                                                        .put("code", 429)))
                        .status())
                .isEqualTo(200);
        assertThat(http.veoGenerate("a").code()).isEqualTo(429);
        assertThat(http.veoGenerate("b").code()).isEqualTo(429);
        String taskId = http.veoGenerate("c").data().getString("taskId");

        control.post(
                "/control/polls",
                new JsonObject()
                        .put("outcome", new JsonObject().put("type", "fail").put("kind", "content")));
        JsonObject failed = http.recordInfo(taskId).data();
        assertThat(failed.getInteger("successFlag")).isEqualTo(2);
        assertThat(failed.getString("errorMessage")).contains("flagged");

        control.post(
                "/control/creates",
                new JsonObject()
                        .put(
                                "outcome",
                                new JsonObject()
                                        .put("type", "success")
                                        .put("polls", 0)
                                        .put("sizeBytes", 1_000_000)));
        String sized = http.veoGenerate("d").data().getString("taskId");
        assertThat(kie.task(sized).resultSizeBytes()).isEqualTo(1_000_000);
        assertThat(kie.task(sized).pollsBeforeDone()).isZero();
    }

    @Test
    void creditsMaintenanceKeysAndState() {
        control.post("/control/credits", new JsonObject().put("credits", 10));
        assertThat(control.get("/control/credits").json().getLong("credits")).isEqualTo(10);
        assertThat(http.veoGenerate("a").code()).isEqualTo(402);

        control.post("/control/maintenance", new JsonObject().put("enabled", true));
        assertThat(http.veoGenerate("a").code()).isEqualTo(455);
        control.post("/control/maintenance", new JsonObject().put("enabled", false));

        control.post("/control/credits", new JsonObject().put("credits", 1000));
        control.post(
                "/control/keys", new JsonObject().put("key", "extra-key-0009").put("cap", 1));
        KieHttp extra = http.withKey("extra-key-0009");
        assertThat(extra.veoGenerate("x").code()).isEqualTo(200);
        assertThat(extra.veoGenerate("y").code()).isEqualTo(433);
        control.post("/control/keys", new JsonObject().put("key", "extra-key-0010"));
        assertThat(http.withKey("extra-key-0010").veoGenerate("z").code()).isEqualTo(200);

        JsonObject state = control.get("/control/state").json();
        assertThat(state.getJsonArray("creates")).hasSize(5);
        assertThat(state.getJsonArray("tasks")).hasSize(2);
        JsonArray creates = new JsonArray(control.get("/control/creates").body());
        assertThat(creates.getJsonObject(0).getString("apiKey")).doesNotContain(kie.apiKey()); // masked
        assertThat(kie.creates().get(0).apiKey()).isEqualTo(kie.apiKey()); // whole in the Java view

        control.post("/control/reset", "");
        assertThat(kie.creates()).isEmpty();
        assertThat(http.withKey("extra-key-0010").veoGenerate("gone").code()).isEqualTo(401);
    }

    @Test
    void badControlRequestsAre400() {
        assertThat(control.post(
                                "/control/creates",
                                new JsonObject().put("outcome", new JsonObject().put("type", "nonsense")))
                        .status())
                .isEqualTo(400);
        assertThat(control.post("/control/credits", "not json").status()).isEqualTo(400);
    }

    @Test
    void resourceHandsTheAppTheDesignVariableNames() {
        KieEmulatorResource resource = new KieEmulatorResource();
        resource.init(Map.of("keys", "k-one-0001,k-two-0002", "hmacKey", "h"));
        Map<String, String> config = resource.start();
        try {
            assertThat(config.get("KIE_API_URL")).startsWith("http://127.0.0.1:");
            assertThat(config.get("KIE_UPLOAD_URL")).isEqualTo(config.get("KIE_API_URL"));
            assertThat(config.get("KIE_API_KEYS")).isEqualTo("k-one-0001,k-two-0002");
            assertThat(config.get("KIE_WEBHOOK_HMAC_KEY")).isEqualTo("h");
            // exactly the emulator's host:port may serve results over plain HTTP on a local address
            assertThat("http://" + config.get("VIDEO_DOWNLOAD_ALLOWED_HOSTS")).isEqualTo(config.get("KIE_API_URL"));
            KieHttp client = new KieHttp(config.get("KIE_API_URL"), "k-two-0002");
            assertThat(client.get("/api/v1/chat/credit").code()).isEqualTo(200);
        } finally {
            resource.stop();
        }
    }
}
