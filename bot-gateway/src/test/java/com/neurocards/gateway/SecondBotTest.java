package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.event.Language;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulatorResource;
import com.neurocards.gateway.repository.UpdateLog;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.telegram.UpdateDispatcher;
import com.neurocards.messaging.Transactions;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.LocalInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * A second bot token on a database that served another bot: Telegram numbers each bot's updates from the same
 * start, so the handled-updates key must hold the bot id, or the new bot would skip every id the old one used.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(SecondBotTest.SecondBot.class)
@WithTestResource(FakeBillingResource.class)
class SecondBotTest {

    /** The bot this database served before (the emulators' default token). */
    static final long FIRST_BOT_ID = 123456L;

    /** The emulator serving a second bot (its update ids start where every emulator's do). */
    public static class SecondBot extends TelegramEmulatorResource {
        @Override
        protected TelegramEmulator create() {
            return new TelegramEmulator("654321:SECOND-BOT-TOKEN", "neurocards_second_bot", Limits.relaxed());
        }
    }

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    UpdateLog updateLog;

    @Inject
    Transactions transactions;

    @Inject
    UpdateDispatcher dispatcher;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    MessageBundle texts;

    @Test
    void everyUpdateOfASecondBotIsAnsweredEvenWhereTheFirstBotUsedTheSameUpdateIds() throws Exception {
        assertThat(updateLog.botId()).isEqualTo(654321L);
        // What the first bot's gateway recorded on this database: the ids every bot's updates start with.
        transactions
                .inTransaction(tx -> {
                    Uni<Boolean> chain = Uni.createFrom().item(true);
                    for (long id = 100_000_001L; id <= 100_000_100L; id++) {
                        long updateId = id;
                        chain = chain.chain(() -> updateLog.claim(tx, FIRST_BOT_ID, updateId, 1L));
                    }
                    return chain;
                })
                .await()
                .atMost(Duration.ofSeconds(30));

        String menu = texts.get(Language.RU, "menu.text", FakeBilling.WELCOME, 1);
        List<BotChat> chats = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BotChat chat = new BotChat(telegram, GatewayTestSupport.newUserId());
            chat.send("/start");
            assertThat(chat.lastText()).as("user %d got the menu", i).isEqualTo(menu);
            chat.send("/help");
            assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "help", GatewayTestSupport.SUPPORT_CONTACT));
            chats.add(chat);
        }

        // The second bot's own update delivered again is skipped, logged and counted.
        BotChat first = chats.get(0);
        int said = first.botCount();
        double before = duplicates();
        Update again = json.readValue(
                "{\"update_id\":100000001,\"message\":{\"message_id\":1,\"date\":1,\"text\":\"/start\","
                        + "\"from\":{\"id\":" + first.id() + ",\"is_bot\":false,\"first_name\":\"A\"},"
                        + "\"chat\":{\"id\":" + first.id() + ",\"type\":\"private\"}}}",
                Update.class);
        dispatcher.handle(again);
        assertThat(duplicates()).isEqualTo(before + 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> first.botCount() == said);
    }

    private double duplicates() {
        return registry.counter("neurocards.gateway.updates.duplicate").count();
    }
}
