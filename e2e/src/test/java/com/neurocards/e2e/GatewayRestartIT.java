package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway killed with SIGKILL in the middle of a conversation: after a restart the seller carries on where they were. */
class GatewayRestartIT extends WholeSystemTest {

    @Test
    void aConversationSurvivesAGatewayCrashAndEndsInExactlyOneFundedRequest() throws Exception {
        long userId = newUserId();
        BotChat chat = new BotChat(system.telegram, userId);
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("Термокружка 450 мл, держит тепло 8 часов");
        String draft = chat.button("tpl:").split(":")[1];

        system.gateway.kill();
        chat.user().press("tpl:" + draft + ":AD"); // the seller keeps going while the gateway is down
        system.gateway.start();

        chat.awaitHandled();
        assertThat(chat.findButton("nowish:" + draft))
                .as("asked for wishes: the template press was not lost")
                .isPresent();
        chat.send("-");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":1");
        chat.press(chat.button("ok:" + draft + ":"));

        // billing's schema may not exist yet while it starts: ignore that until the wait ends
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> decisions(userId) >= 1);
        Thread.sleep(1000);
        assertThat(decisions(userId))
                .as("requests billing decided for this seller")
                .isEqualTo(1);
        assertThat(funded(userId)).isEqualTo(1);
    }

    private static long decisions(long userId) throws Exception {
        return count("SELECT count(*) FROM billing.request_decision WHERE user_id = ?", userId);
    }

    private static long funded(long userId) throws Exception {
        return count("SELECT count(*) FROM billing.request_decision WHERE user_id = ? AND outcome = 'FUNDED'", userId);
    }
}
