package com.neurocards.gateway;

import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.testing.HealthAssertions;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class GatewayHealthTest {

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Test
    void startsConnectedToTheBrokerAndTheDatabaseAndReportsReady() {
        HealthAssertions.assertReadyWithBrokerAndDatabase();
    }

    @Test
    void publishesItsCommandsToTelegram() {
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.commands().size() == 5);
        assertThat(telegram.commands().getJsonObject(0).getString("command")).isEqualTo("start");
        assertThat(telegram.commands().getJsonObject(0).getString("description")).isEqualTo("Главное меню");
    }
}
