package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.emulators.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flood control on a hand-moved clock: no sleeping. */
class RateLimitTest {

    final ManualClock clock = new ManualClock();
    TelegramEmulator telegram;

    @AfterEach
    void stop() {
        telegram.close();
    }

    BotHttp start(Limits limits) {
        telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, limits, clock)
                .start(0);
        return new BotHttp(telegram);
    }

    static JsonObject text(long chatId) {
        return new JsonObject().put("chat_id", chatId).put("text", "hi");
    }

    @Test
    void aBurstToOneChatGets429WithRetryAfterAndPassesAfterWaiting() {
        BotHttp http = start(Limits.defaults());
        telegram.user(1).sendText("/start");
        for (int i = 0; i < 3; i++) {
            assertThat(http.call("sendMessage", text(1)).status()).isEqualTo(200);
        }
        var refused = http.call("sendMessage", text(1));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body())
                .isEqualTo(new JsonObject()
                        .put("ok", false)
                        .put("error_code", 429)
                        .put("description", "Too Many Requests: retry after 1")
                        .put("parameters", new JsonObject().put("retry_after", 1)));
        // Edits count too; a refused call changes nothing.
        assertThat(telegram.botMessages(1)).hasSize(3);

        clock.advance(
                Duration.ofSeconds(refused.body().getJsonObject("parameters").getInteger("retry_after")));
        assertThat(http.call("sendMessage", text(1)).status()).isEqualTo(200);
        assertThat(http.call("sendMessage", text(1)).status()).isEqualTo(429);
    }

    @Test
    void theWholeBotIsCappedAcrossChats() {
        BotHttp http = start(Limits.builder()
                .perChat(Limits.Rate.unlimited())
                .global(new Limits.Rate(30, Duration.ofMillis(1000 / 30)))
                .build());
        for (long chat = 1; chat <= 31; chat++) {
            telegram.user(chat).sendText("/start");
        }
        for (long chat = 1; chat <= 30; chat++) {
            assertThat(http.call("sendMessage", text(chat)).status()).isEqualTo(200);
        }
        assertThat(http.call("sendMessage", text(31)).status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(40));
        assertThat(http.call("sendMessage", text(31)).status()).isEqualTo(200);
    }

    @Test
    void retryAfterGrowsWithTheDebtAndLimitsAreConfigurable() {
        BotHttp http = start(Limits.builder()
                .perChat(new Limits.Rate(1, Duration.ofSeconds(5)))
                .build());
        telegram.user(1).sendText("/start");
        assertThat(http.call("sendMessage", text(1)).status()).isEqualTo(200);
        var refused = http.call("sendMessage", text(1));
        assertThat(refused.body().getJsonObject("parameters").getInteger("retry_after"))
                .isEqualTo(5);
        int id = telegram.botMessages(1).get(0).messageId();
        assertThat(http.call("editMessageText", text(1).put("text", "edited").put("message_id", id))
                        .status())
                .isEqualTo(429);
        clock.advance(Duration.ofSeconds(5));
        assertThat(http.call("editMessageText", text(1).put("text", "edited").put("message_id", id))
                        .status())
                .isEqualTo(200);
    }
}
