package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.TelegramEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

/**
 * Two senders speaking as one bot (as a gateway and a pipeline instance, each its own pool) push to one chat at once,
 * against the emulator's real Telegram limits: with the spacing shared through the database, Telegram never answers
 * 429. Each alone would send its messages a second apart, and together twice as fast as Telegram allows.
 */
class SharedLimitsAgainstTelegramTest {

    @Test
    void twoSendersPushingToOneChatGetNo429() {
        try (SpacingDatabase db = new SpacingDatabase().migrated();
                TelegramEmulator telegram = new TelegramEmulator(
                        TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.defaults())) {
            telegram.start(0);
            TelegramConfig config = new TestTelegramConfig(telegram.token(), telegram.baseUrl(), 20L * 1024 * 1024);
            long chat = 4242;
            telegram.user(chat).sendText("/start");
            SendSpacing spacing = new SendSpacing(Duration.ofSeconds(1), 30, Duration.ofSeconds(2));
            List<BotSender> senders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SendPolicy policy =
                        SendPolicy.waitInPlace("test", db.instance(config.botId(), spacing), 1, Duration.ofSeconds(60));
                TelegramClients clients = new TelegramClients(config);
                senders.add(
                        new BotSender(clients.telegramClient(), clients, config, policy, new SimpleMeterRegistry()));
            }

            List<Uni<Object>> sends = new ArrayList<>();
            for (int n = 0; n < 5; n++) {
                for (BotSender sender : senders) {
                    String text = "message " + n + " of sender " + senders.indexOf(sender);
                    sends.add(sender.send(
                                    chat,
                                    "sendMessage",
                                    client -> client.execute(SendMessage.builder()
                                            .chatId(chat)
                                            .text(text)
                                            .build()))
                            .replaceWith(new Object()));
                }
            }
            Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(120));

            List<RecordedCall> calls = telegram.calls("sendMessage").stream()
                    .filter(c -> String.valueOf(chat).equals(c.param("chat_id")))
                    .toList();
            assertThat(calls).hasSize(10).noneMatch(call -> call.status() == 429);
            assertThat(telegram.botMessages(chat)).hasSize(10);
        }
    }
}
