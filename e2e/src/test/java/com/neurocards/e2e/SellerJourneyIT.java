package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InlineButton;
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

    /** From /start to the confirmation card; returns the draft number. */
    private static String toCard(BotChat chat, String template, String wishesOrPrompt, int count) {
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("Керамическая кружка ручной работы, 350 мл, матовая глазурь");
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":" + template);
        chat.send(wishesOrPrompt);
        chat.press("mdl:" + draft + ":fast");
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
