package com.neurocards.gateway.telegram;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.conversation.Input;
import org.telegram.telegrambots.meta.api.objects.payments.PreCheckoutQuery;
import org.telegram.telegrambots.meta.api.objects.payments.RefundedPayment;
import org.telegram.telegrambots.meta.api.objects.payments.SuccessfulPayment;

/** A Telegram update sorted by who handles it. */
public sealed interface Incoming {

    long updateId();

    /**
     * Something for the conversation; {@code callbackQueryId} is set for a button press (always answered).
     * {@code appLanguage} is the sender's app language ({@link AppLanguage}), which only a first contact uses.
     */
    record ForConversation(
            long updateId, long userId, long chatId, Language appLanguage, Input input, String callbackQueryId)
            implements Incoming {}

    /** Telegram asks whether a payment may go ahead; must be answered within 10 s. */
    record PreCheckout(long updateId, PreCheckoutQuery query) implements Incoming {}

    /** A Stars payment went through. */
    record Paid(long updateId, long userId, long chatId, SuccessfulPayment payment) implements Incoming {}

    /** Telegram refunded a Stars payment (support, or the bot's own refundStarPayment). */
    record Refunded(long updateId, long userId, long chatId, RefundedPayment refund) implements Incoming {}

    /** An admin command from an admin. */
    record Admin(long updateId, long userId, long chatId, Input.Command command) implements Incoming {}

    /** Nothing for the bot (edits, group chats, service messages); a stray callback query is still answered. */
    record Ignored(long updateId, String callbackQueryId) implements Incoming {}
}
