package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.Invoice;
import com.neurocards.emulators.telegram.PaymentAttempt;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A paid order is never lost: a payment that arrives while the database is down is credited once it is back. */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class PaymentOutageTest {

    private static final String TOPUP = QueueName.BILLING_TOPUP.queueName();

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @Test
    void aPaymentArrivingDuringAThirtySecondDatabaseOutageIsCreditedExactlyOnceWhenTheDatabaseIsBack()
            throws Exception {
        infra.broker().purge(TOPUP);
        BotChat chat = new BotChat(telegram, GatewayTestSupport.newUserId());
        chat.send("/start");
        chat.press("buy");
        chat.press("pack:s");
        Invoice invoice = telegram.invoices(chat.id()).get(0);

        infra.database().refuseConnections();
        try {
            // Pre-checkout needs no database: Telegram takes the money and sends successful_payment.
            PaymentAttempt attempt = chat.user().pay(invoice.messageId());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> telegram.payment(attempt.preCheckoutQueryId())
                                    .orElseThrow()
                                    .status()
                            == PaymentAttempt.Status.PAID);
            Thread.sleep(Duration.ofSeconds(30).toMillis());

            assertThat(telegram.pendingUpdates())
                    .as("the polling offset never passed the payment")
                    .anyMatch(update -> update.containsKey("message")
                            && update.getJsonObject("message").containsKey("successful_payment"));
            assertThat(infra.broker().messageCount(TOPUP))
                    .as("nothing credited yet")
                    .isZero();
        } finally {
            infra.database().allowConnections();
        }

        GetResponse published = infra.broker().await(TOPUP, Duration.ofSeconds(60));
        assertThat(published).as("payment.received once the database is back").isNotNull();
        PaymentReceived payment =
                EventCodec.decode(published.getBody(), PaymentReceived.class).payload();
        assertThat(payment.userId()).isEqualTo(chat.id());
        assertThat(payment.packId()).isEqualTo("s");
        assertThat(payment.credits()).isEqualTo(10);
        chat.awaitHandled();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> texts.get(Language.RU, "payment.thanks", 10).equals(chat.lastText()));
        assertThat(infra.broker().await(TOPUP, Duration.ofSeconds(3)))
                .as("credited exactly once")
                .isNull();
        assertThat(chat.botMessages())
                .filteredOn(m -> texts.get(Language.RU, "payment.thanks", 10).equals(m.text()))
                .hasSize(1);
    }
}
