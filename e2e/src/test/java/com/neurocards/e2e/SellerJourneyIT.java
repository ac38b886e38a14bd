package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InlineButton;
import com.neurocards.emulators.telegram.Invoice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A seller's whole journey through the three services as processes, the real broker and database, and the emulators:
 * photo → description → template → count → Confirm → one progress message edited in place → the videos with their
 * buttons; and a video the provider rejects is refunded once with one clear message.
 */
class SellerJourneyIT extends WholeSystemTest {

    @Test
    void threeVideosArriveWithTheirButtonsUnderOneProgressMessageAndThreeCreditsAreSpent() throws Exception {
        long userId = newUserId();
        BotChat chat = new BotChat(system.telegram, userId);
        String draft = toCard(chat, "UGC", "тёплый свет, кухня", 3);
        int before = chat.botCount() - 1; // from the card on: the card becomes the progress message

        chat.press(chat.button("ok:" + draft + ":"));

        await().atMost(Duration.ofSeconds(120)).until(() -> videos(chat).size() == 3 && progressDone(chat, before));
        List<ChatMessage> videos = videos(chat);
        for (ChatMessage video : videos) {
            List<String> buttons =
                    video.buttons().stream().map(InlineButton::callbackData).toList();
            assertThat(buttons).anyMatch(data -> data.startsWith("more:")).contains("menu");
        }
        List<ChatMessage> others =
                chat.botMessagesSince(before).stream().filter(m -> !isVideo(m)).toList();
        assertThat(others)
                .as("exactly one progress message, the card, edited in place")
                .hasSize(1);
        assertThat(others.get(0).kind()).as("the card: the seller's photo").isEqualTo("photo");
        assertThat(others.get(0).buttons())
                .as("no Confirm left on a started card")
                .isEmpty();
        assertThat(others.get(0).history())
                .as("edited as the videos progressed")
                .isNotEmpty();
        assertThat(balance(userId)).isEqualTo(7);

        String more = videos.get(0).buttons().stream()
                .map(InlineButton::callbackData)
                .filter(data -> data.startsWith("more:"))
                .findFirst()
                .orElseThrow();
        chat.press(more);
        assertThat(chat.findButton("tpl:"))
                .as("make more reopens at the template step")
                .isPresent();
    }

    @Test
    void aVideoTheProviderRejectsIsRefundedOnceAndTheSellerIsToldWhy() throws Exception {
        long userId = newUserId();
        BotChat chat = new BotChat(system.telegram, userId);
        String draft = toCard(chat, "SELF", "[kie:fail=content] A close-up of the mug on a kitchen table", 1);
        int before = chat.botCount();

        chat.press(chat.button("ok:" + draft + ":"));

        await().atMost(Duration.ofSeconds(120))
                .until(() -> refunds(userId) == 1
                        && chat.botMessagesSince(before).stream().anyMatch(m -> text(m).contains("Баланс: 10")));
        assertThat(videos(chat)).isEmpty();
        assertThat(chat.botMessagesSince(before).stream()
                        .filter(m -> text(m).contains("правилам контента"))
                        .count())
                .as("one clear message saying why")
                .isEqualTo(1);
        Thread.sleep(1500);
        assertThat(refunds(userId)).as("refunded exactly once").isEqualTo(1);
        assertThat(balance(userId)).isEqualTo(10);
    }

    @Test
    void anOrderTheBalanceCannotCoverIsKeptAndAfterAStarsTopUpOnePressRendersItWithTheChosenModel() throws Exception {
        long userId = newUserId();
        BotChat chat = new BotChat(system.telegram, userId);
        // welcome 10 credits; Veo 3.1 Quality costs 3 a video: 5 videos (15) are more than the balance
        String draft = toCard(chat, "AD", "-", "quality", 5);
        String rejectedCard = chat.button("ok:" + draft + ":");
        chat.press(rejectedCard);

        // billing rejects it; the order is kept, nothing was debited
        await().atMost(Duration.ofSeconds(30)).until(() -> chat.botMessages().stream()
                .anyMatch(m -> text(m).startsWith("📝 Заказ сохранён (15 кр.)")));
        assertThat(balance(userId)).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE user_id = ? AND kind = 'DEBIT'", userId))
                .isZero();

        // a Stars top-up from the kept order's message; billing credits it and the same order's card comes back
        int before = chat.botCount();
        chat.press("buy");
        chat.press("pack:s");
        Invoice invoice = system.telegram.invoices(userId).get(0);
        chat.user().pay(invoice.messageId());
        await().atMost(Duration.ofSeconds(30)).until(() -> chat.botMessagesSince(before).stream()
                .anyMatch(m -> "photo".equals(m.kind())
                        && m.buttons().stream().anyMatch(b -> b.callbackData()
                                .startsWith("ok:" + (Long.parseLong(draft) + 1) + ":"))));
        ChatMessage card = chat.messageWithButton(chat.button("ok:" + (Long.parseLong(draft) + 1) + ":"));
        assertThat(card.caption()).contains("Veo 3.1 Quality").contains("15");
        assertThat(balance(userId)).isEqualTo(20);

        // one press: five Quality videos, 15 credits
        int fromCard = chat.botCount() - 1;
        chat.press(chat.button("ok:" + (Long.parseLong(draft) + 1) + ":"));
        await().atMost(Duration.ofSeconds(180)).until(() -> videos(chat).size() == 5 && progressDone(chat, fromCard));
        assertThat(balance(userId)).isEqualTo(5);
        assertThat(count(
                        "SELECT count(*) FROM pipeline.job WHERE request_id IN (SELECT request_id FROM"
                                + " gateway.generation WHERE user_id = ? AND status = 'FUNDED') AND model = 'veo3'",
                        userId))
                .as("rendered with the model the seller chose")
                .isEqualTo(5);
    }

    /** From /start to the confirmation card of the default model; returns the draft number. */
    private static String toCard(BotChat chat, String template, String wishesOrPrompt, int count) {
        return toCard(chat, template, wishesOrPrompt, "fast", count);
    }

    /** From /start to the confirmation card of the model with this button code; returns the draft number. */
    private static String toCard(BotChat chat, String template, String wishesOrPrompt, String model, int count) {
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("Керамическая кружка ручной работы, 350 мл, матовая глазурь");
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":" + template);
        chat.send(wishesOrPrompt);
        chat.press("mdl:" + draft + ":" + model);
        chat.press("cnt:" + draft + ":" + count);
        return draft;
    }

    private static boolean progressDone(BotChat chat, int before) {
        return chat.botMessagesSince(before).stream().filter(m -> !isVideo(m)).anyMatch(m -> text(m).contains("✅"));
    }

    private static long balance(long userId) throws Exception {
        return count("SELECT balance FROM billing.account WHERE user_id = ?", userId);
    }

    private static long refunds(long userId) throws Exception {
        return count("SELECT count(*) FROM billing.ledger_entry WHERE user_id = ? AND kind = 'REFUND'", userId);
    }
}
