package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.InlineButton;
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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.invoices.SendInvoice;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.payments.LabeledPrice;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/** Buying credits with Telegram Stars: invoice, pre-checkout, one payment.received per charge. */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class StarsPaymentTest {

    private static final String TOPUP = QueueName.BILLING_TOPUP.queueName();

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @Inject
    TelegramClient client;

    BotChat chat;

    @BeforeEach
    void newUser() {
        infra.broker().purge(TOPUP);
        chat = new BotChat(telegram, GatewayTestSupport.newUserId());
    }

    @Test
    void aStarsPurchaseCreditsOnceEvenWhenTelegramReportsThePaymentTwice() {
        chat.send("/start");
        chat.press("buy");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "packs.title", 1));
        assertThat(chat.last().buttons())
                .extracting(InlineButton::callbackData)
                .containsExactly("pack:s", "pack:m", "pack:l", "menu");

        chat.press("pack:m");
        List<Invoice> invoices = telegram.invoices(chat.id());
        assertThat(invoices).hasSize(1);
        Invoice invoice = invoices.get(0);
        assertThat(invoice.currency()).isEqualTo("XTR");
        assertThat(invoice.totalAmount()).isEqualTo(250);
        assertThat(invoice.title()).isEqualTo(texts.get(Language.RU, "invoice.title", 30));

        PaymentAttempt attempt = chat.user().pay(invoice.messageId());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telegram.payment(attempt.preCheckoutQueryId())
                                .orElseThrow()
                                .status()
                        == PaymentAttempt.Status.PAID);
        chat.awaitHandled();
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "payment.thanks", 30));

        GetResponse published = infra.broker().await(TOPUP, Duration.ofSeconds(10));
        assertThat(published).as("payment.received on billing.topup").isNotNull();
        PaymentReceived payment =
                EventCodec.decode(published.getBody(), PaymentReceived.class).payload();
        String chargeId =
                telegram.payment(attempt.preCheckoutQueryId()).orElseThrow().telegramPaymentChargeId();
        assertThat(payment.chargeId()).isEqualTo(chargeId);
        assertThat(payment.userId()).isEqualTo(chat.id());
        assertThat(payment.chatId()).isEqualTo(chat.id());
        assertThat(payment.packId()).isEqualTo("m");
        assertThat(payment.stars()).isEqualTo(250);
        assertThat(payment.credits()).isEqualTo(30);
        assertThat(payment.locale()).isEqualTo(Language.RU);

        int before = chat.botCount();
        telegram.forceDuplicatePayment(chargeId);
        chat.awaitHandled();
        assertThat(infra.broker().await(TOPUP, Duration.ofMillis(700)))
                .as("a second payment.received")
                .isNull();
        assertThat(chat.botCount()).as("no second thank-you").isEqualTo(before);
    }

    @Test
    void aPreCheckoutForAnInvoiceThatMatchesNoPackOnSaleIsDeclined() throws Exception {
        chat.send("/start");
        // An invoice promising more credits than the pack on sale gives (e.g. sent before the price changed).
        Message stale = client.execute(SendInvoice.builder()
                .chatId(chat.id())
                .title("30")
                .description("30 credits")
                .payload("pack:m:999:250")
                .providerToken("")
                .currency("XTR")
                .price(new LabeledPrice("30 credits", 250))
                .build());

        PaymentAttempt attempt = chat.user().pay(stale.getMessageId());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telegram.payment(attempt.preCheckoutQueryId())
                                .orElseThrow()
                                .status()
                        != PaymentAttempt.Status.PENDING);

        PaymentAttempt result = telegram.payment(attempt.preCheckoutQueryId()).orElseThrow();
        assertThat(result.status()).isEqualTo(PaymentAttempt.Status.DECLINED);
        assertThat(result.errorMessage()).isEqualTo(texts.get(Language.RU, "precheckout.invalid"));
        assertThat(infra.broker().await(TOPUP, Duration.ofMillis(700))).isNull();
    }

    @Test
    void paySupportExplainsRefundsAndNamesWhereToWrite() {
        chat.send("/paysupport");
        assertThat(chat.lastText())
                .isEqualTo(texts.get(Language.RU, "paysupport", GatewayTestSupport.SUPPORT_CONTACT))
                .contains("напишите в поддержку (" + GatewayTestSupport.SUPPORT_CONTACT + ")");
    }

    @Test
    void supportAndHelpNameWhereToWriteInTheSellersLanguage() {
        chat.send("/support");
        assertThat(chat.lastText())
                .isEqualTo(texts.get(Language.RU, "support", GatewayTestSupport.SUPPORT_CONTACT))
                .contains("Напишите нам: " + GatewayTestSupport.SUPPORT_CONTACT);

        chat.send("/language");
        chat.press("lang:en");
        chat.send("/help");
        assertThat(chat.lastText())
                .isEqualTo(texts.get(Language.EN, "help", GatewayTestSupport.SUPPORT_CONTACT))
                .contains("/support")
                .endsWith("🙋 Support: " + GatewayTestSupport.SUPPORT_CONTACT);
        chat.send("/support");
        assertThat(chat.lastText()).contains("write to us: " + GatewayTestSupport.SUPPORT_CONTACT);
    }
}
