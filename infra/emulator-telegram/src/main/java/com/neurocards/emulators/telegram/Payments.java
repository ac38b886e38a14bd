package com.neurocards.emulators.telegram;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Telegram Stars payments: invoices the bot sent, a user paying one (pre_checkout_query → the bot's answer within
 * the timeout → successful_payment with a telegram_payment_charge_id), and refunds of charges.
 */
final class Payments {

    private final Chats chats;
    private final Updates updates;
    private final EventLog events;
    private final Clock clock;
    private final Limits limits;
    private final Supplier<Vertx> vertx;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Invoice> invoices = new LinkedHashMap<>();
    private final Map<String, PaymentAttempt> attempts = new LinkedHashMap<>();
    private final Map<String, Long> attemptStartedMillis = new LinkedHashMap<>();
    private final Map<String, Refund> refunds = new LinkedHashMap<>();

    Payments(Chats chats, Updates updates, EventLog events, Clock clock, Limits limits, Supplier<Vertx> vertx) {
        this.chats = chats;
        this.updates = updates;
        this.events = events;
        this.clock = clock;
        this.limits = limits;
        this.vertx = vertx;
    }

    synchronized void addInvoice(Invoice invoice) {
        invoices.put(key(invoice.chatId(), invoice.messageId()), invoice);
    }

    /** The user opens the invoice and confirms: the bot gets a pre_checkout_query it must answer in time. */
    PaymentAttempt pay(long userId, int invoiceMessageId) {
        PaymentAttempt attempt;
        synchronized (this) {
            Invoice invoice = invoices.get(key(userId, invoiceMessageId));
            if (invoice == null) {
                throw new IllegalArgumentException("no invoice message " + invoiceMessageId + " in chat " + userId);
            }
            String id = Long.toUnsignedString(random.nextLong());
            attempt = new PaymentAttempt(
                    id,
                    userId,
                    invoiceMessageId,
                    invoice.payload(),
                    invoice.currency(),
                    invoice.totalAmount(),
                    PaymentAttempt.Status.PENDING,
                    null,
                    null);
            attempts.put(id, attempt);
            attemptStartedMillis.put(id, clock.millis());
            JsonObject query = new JsonObject()
                    .put("id", id)
                    .put("from", chats.user(userId).userJson())
                    .put("currency", invoice.currency())
                    .put("total_amount", invoice.totalAmount())
                    .put("invoice_payload", invoice.payload());
            events.append("pre_checkout_query", userId, invoiceMessageId, query);
            updates.push("pre_checkout_query", query);
        }
        Vertx v = vertx.get();
        if (v != null) {
            String id = attempt.preCheckoutQueryId();
            v.setTimer(Math.max(1, limits.preCheckoutTimeout().toMillis()), t -> expireIfPending(id));
        }
        return attempt;
    }

    synchronized boolean answerPreCheckout(ApiParams params) {
        String id = params.string("pre_checkout_query_id");
        PaymentAttempt attempt = id == null ? null : attempts.get(id);
        if (attempt != null && attempt.status() == PaymentAttempt.Status.PENDING && isLate(id)) {
            expire(attempt);
        }
        if (attempt == null || attempts.get(id).status() != PaymentAttempt.Status.PENDING) {
            throw ApiException.badRequest(CallbackQueries.TOO_OLD);
        }
        if (!params.has("ok")) {
            throw ApiException.badRequest("parameter \"ok\" is required");
        }
        boolean ok = params.bool("ok");
        String error = params.string("error_message");
        if (!ok && (error == null || error.isBlank())) {
            throw ApiException.badRequest("ERROR_MESSAGE_EMPTY");
        }
        events.append(
                "pre_checkout_answer",
                attempt.chatId(),
                attempt.invoiceMessageId(),
                new JsonObject().put("pre_checkout_query_id", id).put("ok", ok).put("error_message", error));
        if (!ok) {
            attempts.put(id, attempt.with(PaymentAttempt.Status.DECLINED, error, null));
            return true;
        }
        String chargeId = "stxN" + HexFormat.of().formatHex(randomBytes(24));
        attempts.put(id, attempt.with(PaymentAttempt.Status.PAID, null, chargeId));
        sendSuccessfulPayment(attempts.get(id));
        return true;
    }

    /** Sends the bot another successful_payment for an already paid attempt: what a redelivery looks like. */
    synchronized void duplicateSuccessfulPayment(String chargeOrQueryId) {
        sendSuccessfulPayment(paid(chargeOrQueryId));
    }

    synchronized boolean refund(ApiParams params) {
        Long userId = params.longValue("user_id", "USER_ID_INVALID");
        if (userId == null || !chats.exists(userId)) {
            throw ApiException.badRequest("USER_ID_INVALID");
        }
        String chargeId = params.string("telegram_payment_charge_id");
        if (chargeId == null || chargeId.isBlank()) {
            throw ApiException.badRequest("CHARGE_ID_EMPTY");
        }
        PaymentAttempt paid = attempts.values().stream()
                .filter(a -> chargeId.equals(a.telegramPaymentChargeId()))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest("CHARGE_NOT_FOUND"));
        if (paid.chatId() != userId) {
            throw ApiException.badRequest("USER_ID_INVALID");
        }
        if (refunds.containsKey(chargeId)) {
            throw ApiException.badRequest("CHARGE_ALREADY_REFUNDED");
        }
        sendRefund(paid);
        return true;
    }

    /**
     * Telegram refunds a paid charge on its own (its support, a dispute), not asked by the bot: the bot only gets the
     * refunded_payment message.
     */
    synchronized Refund refundByTelegram(String chargeOrQueryId) {
        PaymentAttempt paid = paid(chargeOrQueryId);
        if (refunds.containsKey(paid.telegramPaymentChargeId())) {
            throw new IllegalArgumentException("payment " + chargeOrQueryId + " is refunded already");
        }
        return sendRefund(paid);
    }

    /**
     * A successful_payment that no answered pre-checkout led to, with whatever payload, currency and amount: what a
     * forged or altered payment looks like to the bot (real Telegram never sends one). Returns the PAID attempt.
     */
    synchronized PaymentAttempt sendUncheckedPayment(long userId, String payload, String currency, int totalAmount) {
        String id = Long.toUnsignedString(random.nextLong());
        String chargeId = "stxN" + HexFormat.of().formatHex(randomBytes(24));
        PaymentAttempt paid = new PaymentAttempt(
                id, userId, 0, payload, currency, totalAmount, PaymentAttempt.Status.PAID, null, chargeId);
        attempts.put(id, paid);
        attemptStartedMillis.put(id, clock.millis());
        events.append("unchecked_payment", userId, null, new JsonObject().put("telegram_payment_charge_id", chargeId));
        sendSuccessfulPayment(paid);
        return paid;
    }

    private PaymentAttempt paid(String chargeOrQueryId) {
        return attempts.values().stream()
                .filter(a -> a.status() == PaymentAttempt.Status.PAID)
                .filter(a -> chargeOrQueryId.equals(a.telegramPaymentChargeId())
                        || chargeOrQueryId.equals(a.preCheckoutQueryId()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no paid payment " + chargeOrQueryId));
    }

    private Refund sendRefund(PaymentAttempt paid) {
        long userId = paid.chatId();
        String chargeId = paid.telegramPaymentChargeId();
        Refund refund =
                new Refund(userId, chargeId, paid.totalAmount(), clock.instant().getEpochSecond());
        refunds.put(chargeId, refund);
        events.append("refund", userId, null, refund.toJson());
        // Bot API 7.10+: the bot also gets a refunded_payment service message in the chat.
        chats.addUserMessage(
                chats.user(userId),
                new JsonObject()
                        .put(
                                "refunded_payment",
                                new JsonObject()
                                        .put("currency", paid.currency())
                                        .put("total_amount", paid.totalAmount())
                                        .put("invoice_payload", paid.payload())
                                        .put("telegram_payment_charge_id", chargeId)));
        return refund;
    }

    synchronized Optional<PaymentAttempt> attempt(String preCheckoutQueryId) {
        return Optional.ofNullable(attempts.get(preCheckoutQueryId));
    }

    synchronized List<PaymentAttempt> attempts(long chatId) {
        return attempts.values().stream().filter(a -> a.chatId() == chatId).toList();
    }

    synchronized List<Invoice> invoices(long chatId) {
        return invoices.values().stream().filter(i -> i.chatId() == chatId).toList();
    }

    synchronized List<Refund> refunds() {
        return new ArrayList<>(refunds.values());
    }

    synchronized void clear() {
        invoices.clear();
        attempts.clear();
        attemptStartedMillis.clear();
        refunds.clear();
    }

    private synchronized void expireIfPending(String id) {
        PaymentAttempt attempt = attempts.get(id);
        if (attempt != null && attempt.status() == PaymentAttempt.Status.PENDING) {
            expire(attempt);
        }
    }

    private void expire(PaymentAttempt attempt) {
        attempts.put(attempt.preCheckoutQueryId(), attempt.with(PaymentAttempt.Status.EXPIRED, null, null));
        events.append(
                "payment_expired",
                attempt.chatId(),
                attempt.invoiceMessageId(),
                new JsonObject().put("pre_checkout_query_id", attempt.preCheckoutQueryId()));
    }

    private boolean isLate(String id) {
        return clock.millis() - attemptStartedMillis.get(id)
                > limits.preCheckoutTimeout().toMillis();
    }

    private void sendSuccessfulPayment(PaymentAttempt paid) {
        JsonObject payment = new JsonObject()
                .put("currency", paid.currency())
                .put("total_amount", paid.totalAmount())
                .put("invoice_payload", paid.payload())
                .put("telegram_payment_charge_id", paid.telegramPaymentChargeId())
                .put("provider_payment_charge_id", paid.telegramPaymentChargeId());
        chats.addUserMessage(chats.user(paid.chatId()), new JsonObject().put("successful_payment", payment));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String key(long chatId, int messageId) {
        return chatId + ":" + messageId;
    }
}
