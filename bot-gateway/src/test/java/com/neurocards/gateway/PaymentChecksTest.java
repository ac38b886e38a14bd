package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
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
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is paid is checked against the pack before anything is credited, and a refund Telegram reports takes the
 * credits back; whatever does not add up is kept for an admin, who is told.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class PaymentChecksTest {

    private static final String TOPUP = QueueName.BILLING_TOPUP.queueName();

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    BotChat chat;
    BotChat admin;

    @BeforeEach
    void newUser() {
        infra.broker().purge(TOPUP);
        admin = new BotChat(telegram, GatewayTestSupport.ADMIN_ID);
        admin.send("/start");
        chat = new BotChat(telegram, GatewayTestSupport.newUserId());
        chat.send("/start");
    }

    @Test
    void aPaymentOfOneStarForAThirtyCreditPackIsNotCreditedAndIsKeptForAnAdmin() throws Exception {
        PaymentAttempt forged = telegram.forceUncheckedPayment(chat.id(), "pack:m:30:250", "XTR", 1);
        String charge = forged.telegramPaymentChargeId();

        chat.awaitHandled();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> texts.get(Language.RU, "payment.review", 1, GatewayTestSupport.SUPPORT_CONTACT)
                        .equals(chat.lastText()));
        await().atMost(Duration.ofSeconds(10)).until(() -> texts.get(
                        Language.RU, "admin.payment_issue", "AMOUNT_MISMATCH", chat.id(), charge, 1, "XTR")
                .equals(admin.lastText()));
        assertThat(infra.broker().await(TOPUP, Duration.ofSeconds(1)))
                .as("nothing credited")
                .isNull();
        assertThat(issues(charge)).containsExactly("AMOUNT_MISMATCH");
        assertThat(rawUpdate(charge)).contains("\"total_amount\":1").contains(charge);

        // The same wrong payment in a foreign currency is refused the same way.
        PaymentAttempt euros = telegram.forceUncheckedPayment(chat.id(), "pack:m:30:250", "EUR", 250);
        chat.awaitHandled();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> issues(euros.telegramPaymentChargeId()).equals(List.of("AMOUNT_MISMATCH")));
        assertThat(infra.broker().await(TOPUP, Duration.ofSeconds(1))).isNull();
    }

    @Test
    void aRefundTelegramReportsAsksBillingToTakeThePacksCreditsBackAndTellsTheUser() throws Exception {
        chat.press("buy");
        chat.press("pack:m");
        Invoice invoice = telegram.invoices(chat.id()).get(0);
        PaymentAttempt attempt = chat.user().pay(invoice.messageId());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telegram.payment(attempt.preCheckoutQueryId())
                                .orElseThrow()
                                .status()
                        == PaymentAttempt.Status.PAID);
        chat.awaitHandled();
        String charge =
                telegram.payment(attempt.preCheckoutQueryId()).orElseThrow().telegramPaymentChargeId();
        assertThat(decode(infra.broker().await(TOPUP, Duration.ofSeconds(10)))).isInstanceOf(PaymentReceived.class);

        telegram.refundByTelegram(charge);
        chat.awaitHandled();

        Event published = decode(infra.broker().await(TOPUP, Duration.ofSeconds(10)));
        assertThat(published).isInstanceOf(PaymentRefunded.class);
        PaymentRefunded refund = (PaymentRefunded) published;
        assertThat(refund.chargeId()).isEqualTo(charge);
        assertThat(refund.userId()).isEqualTo(chat.id());
        assertThat(refund.packId()).isEqualTo("m");
        assertThat(refund.stars()).isEqualTo(250);
        assertThat(refund.credits()).isEqualTo(30);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> texts.get(Language.RU, "payment.refunded", 250, 30, GatewayTestSupport.SUPPORT_CONTACT)
                        .equals(chat.lastText()));
        assertThat(issues(charge)).isEmpty();
    }

    @Test
    void aRefundOfAChargeTheBotNeverCreditedIsKeptForAnAdmin() throws Exception {
        PaymentAttempt forged = telegram.forceUncheckedPayment(chat.id(), "pack:s:10:100", "XTR", 5);
        chat.awaitHandled();
        String charge = forged.telegramPaymentChargeId();
        await().atMost(Duration.ofSeconds(10)).until(() -> issues(charge).size() == 1);

        telegram.refundByTelegram(charge);
        chat.awaitHandled();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> issues(charge).equals(List.of("AMOUNT_MISMATCH", "REFUND_UNMATCHED")));
        await().atMost(Duration.ofSeconds(10)).until(() -> texts.get(
                        Language.RU, "admin.payment_issue", "REFUND_UNMATCHED", chat.id(), charge, 5, "XTR")
                .equals(admin.lastText()));
        assertThat(infra.broker().await(TOPUP, Duration.ofSeconds(1)))
                .as("nothing for billing")
                .isNull();
    }

    @Test
    void aPaymentThatKeepsFailingOnABugIsKeptAsTelegramSentItTheAdminsAreToldAndTheBotMovesOn() throws Exception {
        // A charge id the database refuses (a NUL character): recording the payment fails the same way every time.
        String charge = "stxBROKEN" + (char) 0 + UUID.randomUUID();
        String shown = charge.replace((char) 0, '?');
        telegram.forceMessage(
                chat.id(),
                new JsonObject()
                        .put(
                                "successful_payment",
                                new JsonObject()
                                        .put("currency", "XTR")
                                        .put("total_amount", 100)
                                        .put("invoice_payload", "pack:s:10:100")
                                        .put("telegram_payment_charge_id", charge)));

        await().atMost(Duration.ofSeconds(40)).until(() -> issues(shown).equals(List.of("UNPROCESSABLE")));
        assertThat(rawUpdate(shown))
                .as("as Telegram sent it")
                .contains("\\u0000")
                .contains("pack:s:10:100");
        await().atMost(Duration.ofSeconds(10)).until(() -> texts.get(
                        Language.RU, "admin.payment_issue", "UNPROCESSABLE", chat.id(), shown, 100, "XTR")
                .equals(admin.lastText()));
        chat.send("/help");
        assertThat(chat.lastText())
                .as("the bot moved on")
                .isEqualTo(texts.get(Language.RU, "help", GatewayTestSupport.SUPPORT_CONTACT));
        assertThat(infra.broker().await(TOPUP, Duration.ofSeconds(1)))
                .as("nothing credited")
                .isNull();
    }

    private static Event decode(GetResponse message) {
        assertThat(message).as("a message on billing.topup").isNotNull();
        return EventCodec.decode(message.getBody()).payload();
    }

    private List<String> issues(String charge) throws Exception {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT kind FROM gateway.payment_issue WHERE charge_id = ? ORDER BY id")) {
            statement.setString(1, charge);
            List<String> kinds = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    kinds.add(rows.getString(1));
                }
            }
            return kinds;
        }
    }

    private String rawUpdate(String charge) throws Exception {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT raw_update FROM gateway.payment_issue WHERE charge_id = ?")) {
            statement.setString(1, charge);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
