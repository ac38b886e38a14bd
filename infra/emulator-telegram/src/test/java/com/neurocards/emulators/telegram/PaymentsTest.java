package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.ManualClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telegram Stars: invoice, pre-checkout within 10 s, successful_payment, duplicates, refunds. */
class PaymentsTest {

    final ManualClock clock = new ManualClock();
    TelegramEmulator telegram;
    BotHttp http;

    @BeforeEach
    void start() {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed(), clock)
                .start(0);
        http = new BotHttp(telegram);
        telegram.user(42).sendText("/buy");
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    static JsonObject starsInvoice() {
        return new JsonObject()
                .put("chat_id", 42)
                .put("title", "10 reels")
                .put("description", "A pack of 10 videos")
                .put("payload", "pack:10:user42")
                .put("currency", "XTR")
                .put(
                        "prices",
                        new JsonArray()
                                .add(new JsonObject().put("label", "10 reels").put("amount", 250)));
    }

    int sendInvoice() {
        return http.call("sendInvoice", starsInvoice()).result().getInteger("message_id");
    }

    JsonObject lastUpdate(String type) {
        return telegram.pendingUpdates().stream()
                .filter(u -> u.containsKey(type))
                .reduce((a, b) -> b)
                .orElseThrow()
                .getJsonObject(type);
    }

    @Test
    void invoicesAreValidated() {
        assertThat(http.call("sendInvoice", starsInvoice()).result().getJsonObject("invoice"))
                .isEqualTo(new JsonObject()
                        .put("title", "10 reels")
                        .put("description", "A pack of 10 videos")
                        .put("start_parameter", "")
                        .put("currency", "XTR")
                        .put("total_amount", 250));
        assertThat(http.call("sendInvoice", starsInvoice().put("payload", "")).description())
                .isEqualTo("Bad Request: INVOICE_PAYLOAD_INVALID");
        assertThat(http.call("sendInvoice", starsInvoice().put("payload", "p".repeat(129)))
                        .description())
                .isEqualTo("Bad Request: INVOICE_PAYLOAD_INVALID");
        assertThat(http.call("sendInvoice", starsInvoice().put("provider_token", "live:123"))
                        .description())
                .isEqualTo("Bad Request: PAYMENT_PROVIDER_INVALID");
        assertThat(http.call("sendInvoice", starsInvoice().put("provider_token", ""))
                        .status())
                .isEqualTo(200);
        assertThat(http.call(
                                "sendInvoice",
                                starsInvoice()
                                        .put(
                                                "prices",
                                                new JsonArray()
                                                        .add(new JsonObject()
                                                                .put("label", "a")
                                                                .put("amount", 1))
                                                        .add(new JsonObject()
                                                                .put("label", "b")
                                                                .put("amount", 1))))
                        .description())
                .isEqualTo("Bad Request: STARS_INVOICE_INVALID");
        assertThat(telegram.invoices(42)).extracting(Invoice::payload).containsOnly("pack:10:user42");
    }

    @Test
    void aPaymentApprovedInTimeEndsWithSuccessfulPayment() {
        int invoice = sendInvoice();
        PaymentAttempt attempt = telegram.user(42).pay(invoice);
        JsonObject query = lastUpdate("pre_checkout_query");
        assertThat(query.getString("id")).isEqualTo(attempt.preCheckoutQueryId());
        assertThat(query.getString("invoice_payload")).isEqualTo("pack:10:user42");
        assertThat(query.getInteger("total_amount")).isEqualTo(250);
        assertThat(query.getString("currency")).isEqualTo("XTR");

        clock.advance(Duration.ofSeconds(9));
        assertThat(http.call(
                                "answerPreCheckoutQuery",
                                new JsonObject()
                                        .put("pre_checkout_query_id", query.getString("id"))
                                        .put("ok", true))
                        .body()
                        .getBoolean("result"))
                .isTrue();
        PaymentAttempt paid = telegram.payment(attempt.preCheckoutQueryId()).orElseThrow();
        assertThat(paid.status()).isEqualTo(PaymentAttempt.Status.PAID);
        JsonObject payment = lastUpdate("message").getJsonObject("successful_payment");
        assertThat(payment.getString("telegram_payment_charge_id")).isEqualTo(paid.telegramPaymentChargeId());
        assertThat(payment.getString("invoice_payload")).isEqualTo("pack:10:user42");
        assertThat(payment.getInteger("total_amount")).isEqualTo(250);

        telegram.forceDuplicatePayment(paid.telegramPaymentChargeId());
        assertThat(telegram.pendingUpdates().stream()
                        .filter(u -> u.getJsonObject("message") != null
                                && u.getJsonObject("message").containsKey("successful_payment")))
                .hasSize(2);
    }

    @Test
    void anAnswerAfterTenSecondsIsTooLateAndDeclinesCarryTheirMessage() {
        int invoice = sendInvoice();
        String late = telegram.user(42).pay(invoice).preCheckoutQueryId();
        clock.advance(Duration.ofSeconds(11));
        assertThat(http.call(
                                "answerPreCheckoutQuery",
                                new JsonObject()
                                        .put("pre_checkout_query_id", late)
                                        .put("ok", true))
                        .description())
                .isEqualTo("Bad Request: query is too old and response timeout expired or query ID is invalid");
        assertThat(telegram.payment(late).orElseThrow().status()).isEqualTo(PaymentAttempt.Status.EXPIRED);

        String declined = telegram.user(42).pay(invoice).preCheckoutQueryId();
        assertThat(http.call(
                                "answerPreCheckoutQuery",
                                new JsonObject()
                                        .put("pre_checkout_query_id", declined)
                                        .put("ok", false))
                        .description())
                .isEqualTo("Bad Request: ERROR_MESSAGE_EMPTY");
        http.call(
                "answerPreCheckoutQuery",
                new JsonObject()
                        .put("pre_checkout_query_id", declined)
                        .put("ok", false)
                        .put("error_message", "Sold out"));
        assertThat(telegram.payment(declined).orElseThrow().errorMessage()).isEqualTo("Sold out");
        assertThat(telegram.pendingUpdates())
                .noneMatch(u -> u.getJsonObject("message") != null
                        && u.getJsonObject("message").containsKey("successful_payment"));
    }

    @Test
    void theRealTimerExpiresAnUnansweredQuery() {
        telegram.close();
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN,
                        TelegramEmulator.DEFAULT_USERNAME,
                        Limits.relaxed().toBuilder()
                                .preCheckoutTimeout(Duration.ofMillis(100))
                                .build())
                .start(0);
        http = new BotHttp(telegram);
        telegram.user(42).sendText("/buy");
        String id = telegram.user(42).pay(sendInvoice()).preCheckoutQueryId();
        await().atMost(Duration.ofSeconds(2))
                .until(() -> telegram.payment(id).orElseThrow().status() == PaymentAttempt.Status.EXPIRED);
    }

    @Test
    void refundsAndTheirErrors() {
        String id = telegram.user(42).pay(sendInvoice()).preCheckoutQueryId();
        http.call(
                "answerPreCheckoutQuery",
                new JsonObject().put("pre_checkout_query_id", id).put("ok", true));
        String charge = telegram.payment(id).orElseThrow().telegramPaymentChargeId();

        assertThat(http.call("refundStarPayment", new JsonObject().put("user_id", 42))
                        .description())
                .isEqualTo("Bad Request: CHARGE_ID_EMPTY");
        assertThat(http.call(
                                "refundStarPayment",
                                new JsonObject().put("user_id", 999).put("telegram_payment_charge_id", charge))
                        .description())
                .isEqualTo("Bad Request: USER_ID_INVALID");
        assertThat(http.call(
                                "refundStarPayment",
                                new JsonObject().put("user_id", 42).put("telegram_payment_charge_id", charge))
                        .body()
                        .getBoolean("result"))
                .isTrue();
        assertThat(http.call(
                                "refundStarPayment",
                                new JsonObject().put("user_id", 42).put("telegram_payment_charge_id", charge))
                        .description())
                .isEqualTo("Bad Request: CHARGE_ALREADY_REFUNDED");
        assertThat(telegram.refunds())
                .extracting(Refund::telegramPaymentChargeId)
                .containsExactly(charge);
        assertThat(lastUpdate("message").getJsonObject("refunded_payment").getString("telegram_payment_charge_id"))
                .isEqualTo(charge);
    }

    @Test
    void telegramCanRefundAChargeOnItsOwnOnceAndTheBotIsTold() {
        String id = telegram.user(42).pay(sendInvoice()).preCheckoutQueryId();
        http.call(
                "answerPreCheckoutQuery",
                new JsonObject().put("pre_checkout_query_id", id).put("ok", true));
        String charge = telegram.payment(id).orElseThrow().telegramPaymentChargeId();

        Refund refund = telegram.refundByTelegram(charge);

        assertThat(refund.totalAmount()).isEqualTo(250);
        JsonObject refunded = lastUpdate("message").getJsonObject("refunded_payment");
        assertThat(refunded.getString("telegram_payment_charge_id")).isEqualTo(charge);
        assertThat(refunded.getInteger("total_amount")).isEqualTo(250);
        assertThat(refunded.getString("invoice_payload")).isEqualTo("pack:10:user42");
        assertThatThrownBy(() -> telegram.refundByTelegram(charge)).isInstanceOf(IllegalArgumentException.class);
        assertThat(http.call(
                                "refundStarPayment",
                                new JsonObject().put("user_id", 42).put("telegram_payment_charge_id", charge))
                        .description())
                .isEqualTo("Bad Request: CHARGE_ALREADY_REFUNDED");
    }

    @Test
    void anUncheckedPaymentReachesTheBotWithWhateverAmountItCarries() {
        PaymentAttempt forged = telegram.forceUncheckedPayment(42, "pack:10:user42", "XTR", 1);

        JsonObject payment = lastUpdate("message").getJsonObject("successful_payment");
        assertThat(payment.getInteger("total_amount")).isEqualTo(1);
        assertThat(payment.getString("invoice_payload")).isEqualTo("pack:10:user42");
        assertThat(payment.getString("telegram_payment_charge_id")).isEqualTo(forged.telegramPaymentChargeId());
        assertThat(forged.status()).isEqualTo(PaymentAttempt.Status.PAID);
        assertThatThrownBy(() -> telegram.forceUncheckedPayment(4242, "pack:10:user42", "XTR", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
