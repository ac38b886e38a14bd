package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** sendInvoice (Telegram Stars: currency XTR, no provider token), answerPreCheckoutQuery, refundStarPayment. */
final class PaymentMethods {

    static final String STARS = "XTR";
    private static final Set<String> FIAT =
            Set.of("USD", "EUR", "RUB", "GBP", "UAH", "KZT", "UZS", "BYN", "TRY", "INR");

    private final Chats chats;
    private final Payments payments;
    private final RateLimiter rateLimiter;
    private final Limits limits;

    PaymentMethods(Chats chats, Payments payments, RateLimiter rateLimiter, Limits limits) {
        this.chats = chats;
        this.payments = payments;
        this.rateLimiter = rateLimiter;
        this.limits = limits;
    }

    void register(MethodRegistry registry) {
        registry.sync("sendInvoice", this::sendInvoice);
        registry.sync("answerPreCheckoutQuery", payments::answerPreCheckout);
        registry.sync("refundStarPayment", payments::refund);
    }

    private Object sendInvoice(ApiParams params) {
        long chatId = chats.writableChat(params);
        String title = params.string("title");
        String description = params.string("description");
        String payload = params.string("payload");
        String currency = params.string("currency");
        String providerToken = params.string("provider_token");
        if (title == null || title.isBlank() || title.length() > 32) {
            throw ApiException.badRequest("INVOICE_TITLE_INVALID");
        }
        if (description == null || description.isBlank() || description.length() > 255) {
            throw ApiException.badRequest("INVOICE_DESCRIPTION_INVALID");
        }
        int payloadBytes = payload == null ? 0 : payload.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes < 1 || payloadBytes > 128) {
            throw ApiException.badRequest("INVOICE_PAYLOAD_INVALID");
        }
        if (currency == null || !(STARS.equals(currency) || FIAT.contains(currency))) {
            throw ApiException.badRequest("CURRENCY_INVALID");
        }
        boolean hasProvider = providerToken != null && !providerToken.isEmpty();
        // Stars need an empty provider token; any other currency needs a payment provider.
        if (STARS.equals(currency) == hasProvider) {
            throw ApiException.badRequest("PAYMENT_PROVIDER_INVALID");
        }
        JsonArray prices = params.jsonArray("prices", "can't parse prices JSON object");
        if (prices == null || prices.isEmpty()) {
            throw ApiException.badRequest("can't parse prices JSON object");
        }
        if (STARS.equals(currency) && prices.size() != 1) {
            throw ApiException.badRequest("STARS_INVOICE_INVALID");
        }
        long total = 0;
        for (Object o : prices) {
            if (!(o instanceof JsonObject price)
                    || !(price.getValue("label") instanceof String)
                    || !(price.getValue("amount") instanceof Number)) {
                throw ApiException.badRequest("can't parse prices JSON object");
            }
            total += price.getLong("amount");
        }
        if (total <= 0 || total > Integer.MAX_VALUE) {
            throw ApiException.badRequest("CURRENCY_TOTAL_AMOUNT_INVALID");
        }
        Compose.Markup markup = Compose.markup(params, limits);
        String startParameter = params.string("start_parameter");
        JsonObject content = new JsonObject()
                .put(
                        "invoice",
                        new JsonObject()
                                .put("title", title)
                                .put("description", description)
                                .put("start_parameter", startParameter == null ? "" : startParameter)
                                .put("currency", currency)
                                .put("total_amount", (int) total));
        markup.putInto(content);
        rateLimiter.acquire(chatId);
        ChatMessage message = chats.addBotMessage(chatId, content, markup.other());
        payments.addInvoice(new Invoice(
                chatId, message.messageId(), title, description, payload, currency, (int) total, prices.copy()));
        return message.json();
    }
}
