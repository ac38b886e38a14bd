package com.neurocards.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.event.Language;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.gateway.telegram.UpdatePoller;
import com.neurocards.gateway.telegram.WebhookResource;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Webhook mode: registered with its secret, updates handled once, calls without the secret refused. */
@QuarkusTest
@TestProfile(WebhookModeTest.Webhook.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class WebhookModeTest {

    // A constant: the profile and the test class are loaded by different class loaders.
    static final String SECRET = "webhook-secret-for-tests";

    public static class Webhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = freePort();
            return Map.of(
                    "TELEGRAM_MODE",
                    "webhook",
                    "quarkus.http.test-port",
                    String.valueOf(port),
                    "TELEGRAM_WEBHOOK_URL",
                    "http://127.0.0.1:" + port + WebhookResource.PATH,
                    "TELEGRAM_WEBHOOK_SECRET",
                    SECRET);
        }

        /**
         * A free port below the ephemeral range: the emulator listens on an ephemeral port chosen after this one
         * is released, and must never get the same one.
         */
        private static int freePort() {
            for (int i = 0; i < 50; i++) {
                int candidate = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
                try (ServerSocket socket = new ServerSocket(candidate)) {
                    return socket.getLocalPort();
                } catch (IOException taken) {
                    // try another
                }
            }
            throw new IllegalStateException("no free port for the webhook test");
        }
    }

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @Inject
    UpdatePoller poller;

    @InjectInfrastructure
    TestInfrastructure infra;

    @Test
    void updatesArriveByWebhookWithTheSecretAndAreHandledOnce() {
        assertThat(telegram.webhookUrl())
                .hasValueSatisfying(url -> assertThat(url).endsWith(WebhookResource.PATH));
        assertThat(poller.running()).isFalse();

        long user = GatewayTestSupport.newUserId();
        telegram.user(user).sendText("/start");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> telegram.botMessages(user).size() == 1);
        assertThat(telegram.lastBotMessage(user).orElseThrow().text())
                .isEqualTo(texts.get(Language.RU, "menu.text", 3, 1));

        long updateId = 1_800_000_000L + ThreadLocalRandom.current().nextInt(50_000_000);
        String update =
                """
                {"update_id": %d, "field_telegram_adds_later": {"x": 1},
                 "message": {"message_id": 77, "date": 1, "text": "/help", "another_new_field": true,
                 "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                 "from": {"id": %d, "is_bot": false, "first_name": "Web"}, "chat": {"id": %d, "type": "private"}}}
                """
                        .formatted(updateId, user, user);
        for (int i = 0; i < 2; i++) {
            given().contentType("application/json")
                    .header(WebhookResource.SECRET_HEADER, SECRET)
                    .body(update)
                    .post(WebhookResource.PATH)
                    .then()
                    .statusCode(200);
        }
        assertThat(telegram.botMessages(user)).hasSize(2);
        assertThat(telegram.lastBotMessage(user).orElseThrow().text())
                .isEqualTo(texts.get(Language.RU, "help", GatewayTestSupport.SUPPORT_CONTACT));

        given().contentType("application/json")
                .body(update)
                .post(WebhookResource.PATH)
                .then()
                .statusCode(401);
        given().contentType("application/json")
                .header(WebhookResource.SECRET_HEADER, "guess")
                .body(update)
                .post(WebhookResource.PATH)
                .then()
                .statusCode(401);
        assertThat(telegram.botMessages(user)).hasSize(2);
    }

    @Test
    void anUpdateArrivingWhileTheDatabaseIsDownIsRefusedWith503SoTelegramSendsItAgain() {
        long user = GatewayTestSupport.newUserId();
        long updateId = 1_900_000_000L + ThreadLocalRandom.current().nextInt(50_000_000);
        String update =
                """
                {"update_id": %d, "message": {"message_id": 5, "date": 1, "text": "/help",
                 "from": {"id": %d, "is_bot": false, "first_name": "Web"}, "chat": {"id": %d, "type": "private"}}}
                """
                        .formatted(updateId, user, user);
        telegram.user(user).sendText("/start");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> telegram.botMessages(user).size() == 1);

        infra.database().refuseConnections();
        try {
            given().contentType("application/json")
                    .header(WebhookResource.SECRET_HEADER, SECRET)
                    .body(update)
                    .post(WebhookResource.PATH)
                    .then()
                    .statusCode(503);
        } finally {
            infra.database().allowConnections();
        }
        assertThat(telegram.botMessages(user)).hasSize(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType("application/json")
                .header(WebhookResource.SECRET_HEADER, SECRET)
                .body(update)
                .post(WebhookResource.PATH)
                .then()
                .statusCode(200));
        assertThat(telegram.botMessages(user)).hasSize(2);
        assertThat(telegram.lastBotMessage(user).orElseThrow().text())
                .isEqualTo(texts.get(Language.RU, "help", GatewayTestSupport.SUPPORT_CONTACT));
    }
}
