package com.neurocards.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.Flows;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.messaging.health.OutsideServiceProbes;
import com.neurocards.testing.HealthAssertions;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class GatewayHealthTest {

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectInfrastructure
    TestInfrastructure infra;

    @Inject
    OutsideServiceProbes probes;

    @Inject
    Scheduler scheduler;

    @Test
    void startsConnectedToTheBrokerAndTheDatabaseAndReportsReady() {
        HealthAssertions.assertReadyWithBrokerAndDatabase();
    }

    @Test
    void schedulesItsPeriodicWork() {
        assertThat(scheduler.getScheduledJobs())
                .extracting(Trigger::getId)
                .contains("update-log-cleaning", "outside-service-probes");
    }

    @Test
    void showsTheTelegramBotApiAmongTheOutsideServicesWithoutTheToken() {
        probes.probeAll();
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'outside-services' }.data.telegram", startsWith("UP"))
                .body(not(containsString(telegram.token())));
        given().get("/q/health/group/outside-services").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aConfirmStartsTheRequestsTraceAndItsGenerationRequestedCarriesIt() {
        infra.broker().purge(QueueName.BILLING_DEBIT.queueName());
        BotChat chat = new BotChat(telegram, GatewayTestSupport.newUserId());
        String draft = Flows.toCard(chat, Template.AD, 1);
        chat.press(chat.button("ok:" + draft + ":"));

        GetResponse published = infra.broker().await(QueueName.BILLING_DEBIT.queueName(), Duration.ofSeconds(10));
        assertThat(published).isNotNull();
        assertThat(String.valueOf(published.getProps().getHeaders().get(Headers.TRACEPARENT)))
                .as("W3C traceparent written through the outbox")
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                .doesNotContain("00000000000000000000000000000000");
    }

    @Test
    void metricsShowTelegramRateLimitsTheOutboxAndTheOutsideServices() {
        probes.probeAll();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("neurocards_telegram_rate_limited_total{sender=\"gateway\"}")
                .contains("neurocards_outbox_lag_seconds")
                .contains("neurocards_outbox_published_total")
                .contains("neurocards_outside_service_up{service=\"telegram\"} 1.0")
                .contains("neurocards_stage_duration_seconds_count{queue=\"gateway.updates\",stage=\"gateway\"}")
                .doesNotContain(telegram.token());
    }

    @Test
    void publishesItsCommandsToTelegram() {
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.commands().size() == 6);
        assertThat(telegram.commands().stream()
                        .map(c -> ((JsonObject) c).getString("command"))
                        .toList())
                .containsExactly("start", "cancel", "language", "help", "support", "paysupport");
        assertThat(telegram.commands().getJsonObject(0).getString("command")).isEqualTo("start");
        assertThat(telegram.commands().getJsonObject(0).getString("description"))
                .isEqualTo("Главное меню");
    }
}
