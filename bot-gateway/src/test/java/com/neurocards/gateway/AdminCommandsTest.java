package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.InjectFakeBilling;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Admin commands: only for ADMIN_USER_IDS; grants go through billing, idempotent by Telegram update. */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class AdminCommandsTest {

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectFakeBilling
    FakeBilling billing;

    @Inject
    MessageBundle texts;

    private String ru(String key, Object... args) {
        return texts.get(Language.RU, key, args);
    }

    @Test
    void anAdminGrantsCreditsThroughBillingAndSeesWhatItCameTo() {
        BotChat admin = new BotChat(telegram, GatewayTestSupport.ADMIN_ID);
        long user = GatewayTestSupport.newUserId();
        int grantsBefore = billing.grantRequests().size();

        admin.send("/grant " + user + " 5 support case 17");
        assertThat(admin.lastText()).isEqualTo(ru("admin.grant.ok", user, 5, FakeBilling.WELCOME + 5));
        assertThat(billing.grantRequests()).hasSize(grantsBefore + 1);
        assertThat(billing.grantRequests().get(grantsBefore))
                .contains("\"userId\":" + user)
                .contains("\"amount\":5")
                .contains("support case 17")
                .contains("\"idempotencyKey\":\"tg-grant:");

        admin.send("/grant " + user + " -100");
        assertThat(admin.lastText()).isEqualTo(ru("admin.grant.rejected", user));
        admin.send("/grant someone lots");
        assertThat(admin.lastText()).isEqualTo(ru("admin.grant.usage"));

        billing.down(true);
        try {
            admin.send("/grant " + user + " 1");
            assertThat(admin.lastText()).isEqualTo(ru("admin.billing_down"));
        } finally {
            billing.down(false);
        }

        admin.send("/stats");
        assertThat(admin.lastText()).startsWith(ru("admin.stats", "X", "Y").substring(0, 10));
    }

    @Test
    void adminCommandsFromAnyoneElseAreUnknownCommands() {
        BotChat someone = new BotChat(telegram, GatewayTestSupport.newUserId());
        int grantsBefore = billing.grantRequests().size();

        someone.send("/grant " + someone.id() + " 1000");
        assertThat(someone.botMessages().get(0).text()).isEqualTo(ru("unknown_command"));
        someone.send("/stats");
        assertThat(someone.botMessages().get(2).text()).isEqualTo(ru("unknown_command"));
        assertThat(billing.grantRequests()).hasSize(grantsBefore);
    }
}
