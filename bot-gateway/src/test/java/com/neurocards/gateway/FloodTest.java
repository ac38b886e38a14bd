package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.event.Language;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.SimulatedUser;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulatorResource;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One user's flood never holds up anyone else: with Telegram's send limits in force (the emulator's defaults: about
 * one message a second per chat, 429 beyond), a user who sends 300 messages at once gets a few answers and one
 * notice, and another user's /start is answered meanwhile.
 */
@QuarkusTest
@TestProfile(FloodTest.FloodLimit.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(TelegramEmulatorResource.class)
@WithTestResource(FakeBillingResource.class)
class FloodTest {

    static final int BURST = 5;

    public static class FloodLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A token every 5 s after the burst: nothing refills while the test floods.
            return Map.of(
                    "%test.neurocards.gateway.flood.enabled", "true",
                    "neurocards.gateway.flood.enabled", "true",
                    "neurocards.gateway.flood.burst", String.valueOf(BURST),
                    "neurocards.gateway.flood.per-minute", "12");
        }
    }

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @Test
    void aUserSending300MessagesAtOnceGetsOneNoticeWhileAnotherUsersStartIsAnsweredWithinTwoSeconds()
            throws InterruptedException {
        SimulatedUser flooder = telegram.user(GatewayTestSupport.newUserId());
        BotChat honest = new BotChat(telegram, GatewayTestSupport.newUserId());
        String menu = texts.get(Language.RU, "menu.text", FakeBilling.WELCOME, 1);
        String notice = texts.get(Language.RU, "flood.notice");

        // A gateway that has served someone already (a cold JVM's first transaction is not what this is about).
        new BotChat(telegram, GatewayTestSupport.newUserId()).send("/start");

        for (int i = 0; i < 300; i++) {
            flooder.sendText("spam " + i);
        }
        long sent = System.nanoTime();
        honest.user().sendText("/start");

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> honest.botMessages().stream().anyMatch(m -> menu.equals(m.text())));
        long answeredMillis = (System.nanoTime() - sent) / 1_000_000;

        BotChat flood = new BotChat(telegram, flooder.id());
        flood.awaitHandled();
        // The flooder's answers go out at Telegram's pace for one chat; wait until they stop coming.
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(2)).until(() -> flood.botMessages().stream()
                .anyMatch(m -> notice.equals(m.text())));
        awaitQuiet(flood);
        List<ChatMessage> answers = flood.botMessages();
        assertThat(answers)
                .filteredOn(m -> notice.equals(m.text()))
                .as("one notice")
                .hasSize(1);
        assertThat(answers.get(answers.size() - 1).text()).as("then silence").isEqualTo(notice);
        assertThat(answers.size()).as("the burst's answers and the notice").isLessThanOrEqualTo(2 * BURST + 1);
        assertThat(answeredMillis).as("the other user's /start, answered in ms").isLessThan(2000);

        // Once the limit clears (a token after 5 s), the flooder is answered as usual again.
        Thread.sleep(6000);
        flood.send("/help");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> texts.get(Language.RU, "help", GatewayTestSupport.SUPPORT_CONTACT)
                        .equals(flood.lastText()));
    }

    /** Waits until the bot has said nothing more in the chat for two seconds. */
    private static void awaitQuiet(BotChat chat) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int before;
        do {
            before = chat.botCount();
            Thread.sleep(2000);
        } while (chat.botCount() != before && System.nanoTime() < deadline);
    }
}
