package com.neurocards.chaos;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.Invoice;
import com.neurocards.emulators.telegram.PaymentAttempt;
import com.neurocards.emulators.telegram.TelegramEmulator;
import java.time.Duration;
import java.util.Optional;

/**
 * One seller going through the bot as a real one does, through the Telegram emulator: /start, (a credit pack paid with
 * Stars), Generate, a product photo, a description, a template, wishes or their own prompt, the model, 1/3/5 videos,
 * Confirm. Each step waits for the bot to have handled it — long enough for a killed gateway to be replaced.
 */
final class Seller {

    /** How long one step may wait for the bot (a gateway restart, a standby taking the polling over). */
    static final Duration STEP_WAIT = Duration.ofSeconds(120);

    /** Where the seller got to. */
    enum Outcome {
        CONFIRMED,
        ABANDONED
    }

    record Result(SellerPlan plan, Outcome outcome, String abandonedAt, PaymentAttempt.Status payment) {}

    private final TelegramEmulator telegram;
    private final SellerPlan plan;
    private final BotChat chat;
    private String step = "start";

    Seller(TelegramEmulator telegram, SellerPlan plan) {
        this.telegram = telegram;
        this.plan = plan;
        this.chat = new BotChat(telegram, plan.userId(), STEP_WAIT);
    }

    Result run() {
        PaymentAttempt.Status payment = null;
        try {
            step = "/start";
            chat.send("/start");
            awaitButton("gen");
            if (plan.buys()) {
                payment = buyPack();
            }
            step = "generate";
            press("gen");
            step = "photo";
            chat.sendPhoto();
            step = "description";
            chat.send("Товар №" + plan.index() + ": льняная скатерть 140×180, серо-бежевая, стирается при 40°");
            String draft = awaitButton("tpl:").split(":")[1];
            step = "template";
            press("tpl:" + draft + ":" + plan.template());
            step = "wishes";
            chat.send(plan.wishesOrPrompt());
            awaitButton("mdl:" + draft + ":");
            step = "model";
            press("mdl:" + draft + ":fast");
            awaitButton("cnt:" + draft + ":");
            step = "count";
            press("cnt:" + draft + ":" + plan.count());
            String confirm = awaitButton("ok:" + draft + ":");
            step = "confirm";
            chat.user().press(confirm);
            // from here the order is the system's: whatever happens to this update, the database says what was funded
            return new Result(plan, Outcome.CONFIRMED, null, payment);
        } catch (RuntimeException | AssertionError e) {
            return new Result(plan, Outcome.ABANDONED, step + ": " + e.getMessage(), payment);
        }
    }

    /** Buy, the smallest pack, pay the invoice; returns where the payment ended. */
    private PaymentAttempt.Status buyPack() {
        step = "buy";
        press("buy");
        awaitButton("pack:");
        step = "pack";
        press("pack:s");
        Invoice invoice = await(
                "the invoice", () -> telegram.invoices(plan.userId()).stream().reduce((first, second) -> second));
        step = "pay";
        PaymentAttempt attempt = chat.user().pay(invoice.messageId());
        return await("the payment's end", () -> telegram.payment(attempt.preCheckoutQueryId())
                        .filter(p -> p.status() != PaymentAttempt.Status.PENDING))
                .status();
    }

    /** Presses the newest button with this data and waits until the bot has handled the press. */
    private void press(String data) {
        chat.user().press(data);
        chat.awaitHandled();
    }

    /** The newest button whose data starts with {@code prefix}, once the bot has shown it. */
    private String awaitButton(String prefix) {
        return await("a button " + prefix, () -> chat.findButton(prefix));
    }

    private static <T> T await(String what, java.util.function.Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + STEP_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
        throw new IllegalStateException("no " + what + " within " + STEP_WAIT.toSeconds() + " s");
    }
}
