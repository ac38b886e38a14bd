package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.CallbackAnswer;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.SampleMedia;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.Flows;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.Pipeline;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.gateway.telegram.UpdateDispatcher;
import com.neurocards.gateway.telegram.UpdatePoller;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * For the conversation (docs/architecture.md#bad-input-gets-a-clear-answer-and-harms-nothing): wrong input, stale
 * and forged buttons, someone else's job, double presses, duplicate updates and a restart in the middle all get a
 * clear answer and harm nothing.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class ConversationSafetyTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @Inject
    TelegramClient client;

    @Inject
    UpdateDispatcher dispatcher;

    @Inject
    UpdatePoller poller;

    BotChat chat;
    Pipeline pipeline;

    @BeforeEach
    void newUser() {
        infra.broker().purge(QueueName.BILLING_DEBIT.queueName());
        chat = new BotChat(telegram, GatewayTestSupport.newUserId());
        pipeline = new Pipeline(client);
    }

    private String ru(String key, Object... args) {
        return texts.get(Language.RU, key, args);
    }

    @Test
    void wrongInputAtEveryStepGetsAHintAndKeepsTheStep() {
        chat.send("/start");
        chat.sendSticker();
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.menu"));
        assertThat(chat.lastText()).isEqualTo(ru("menu.text", 3, 1));
        chat.send("привет");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.menu"));

        chat.press("gen");
        chat.send("вот мой товар");
        assertThat(chat.lastText()).isEqualTo(ru("hint.photo"));
        chat.sendSticker();
        assertThat(chat.lastText()).isEqualTo(ru("hint.photo"));
        chat.sendVoice();
        assertThat(chat.lastText()).isEqualTo(ru("hint.photo"));
        chat.sendDocument("%PDF-1.4 not an image".getBytes(), "catalog.pdf", "application/pdf");
        assertThat(chat.lastText()).isEqualTo(ru("photo.not_an_image"));
        chat.sendPhoto();
        assertThat(chat.lastText()).isEqualTo(ru("ask.description", 1000));

        chat.sendPhoto();
        assertThat(chat.lastText()).isEqualTo(ru("hint.description"));
        chat.sendSticker();
        assertThat(chat.lastText()).isEqualTo(ru("hint.description"));
        chat.send("   ");
        assertThat(chat.lastText()).isEqualTo(ru("hint.description"));
        chat.send("x".repeat(5000));
        assertThat(chat.lastText()).isEqualTo(ru("text.too_long", 5000, 1000));
        chat.send(Flows.DESCRIPTION);
        assertThat(chat.lastText()).isEqualTo(ru("ask.template"));
        String draft = chat.button("tpl:").split(":")[1];

        chat.send("UGC");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.template"));
        assertThat(chat.lastText()).isEqualTo(ru("ask.template"));
        chat.sendVoice();
        assertThat(chat.lastText()).isEqualTo(ru("ask.template"));
        chat.press("tpl:" + draft + ":AD");
        assertThat(chat.lastText()).isEqualTo(ru("ask.wishes", 1000));

        chat.sendPhoto();
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.wishes"));
        chat.send("ж".repeat(1001));
        assertThat(chat.lastText()).isEqualTo(ru("text.too_long", 1001, 1000));
        chat.send("Яркий свет, студия");
        assertThat(chat.lastText()).isEqualTo(ru("ask.model"));
        chat.send("Quality");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.model"));
        assertThat(chat.lastText()).isEqualTo(ru("ask.model"));
        chat.press("mdl:" + draft + ":fast");
        assertThat(chat.lastText()).isEqualTo(ru("ask.count", 3) + "\n" + ru("ask.count.short"));

        chat.send("5");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("hint.count"));
        chat.sendSticker();
        assertThat(chat.lastText()).isEqualTo(ru("ask.count", 3) + "\n" + ru("ask.count.short"));
        chat.press("cnt:" + draft + ":5");
        assertThat(chat.last().kind()).isEqualTo("photo");

        chat.send("да");
        assertThat(chat.lastText()).isEqualTo(ru("hint.confirm"));
        chat.sendPhoto();
        assertThat(chat.lastText()).isEqualTo(ru("hint.confirm"));
        chat.send("/nonsense");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("unknown_command"));

        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.template()).isEqualTo(Template.AD);
        assertThat(request.wishes()).isEqualTo("Яркий свет, студия");
        assertThat(request.count()).isEqualTo(5);
    }

    @Test
    void aSelfPromptOverTheLimitIsRefusedAndAnImageSentAsAFileIsShownAsAFile() {
        chat.send("/start");
        chat.press("gen");
        ChatMessage file = chat.sendDocument(SampleMedia.png(640, 480), "product.png", "image/png");
        assertThat(chat.lastText()).isEqualTo(ru("ask.description", 1000));
        chat.send(Flows.DESCRIPTION);
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":SELF");
        chat.send("p".repeat(2001));
        assertThat(chat.lastText()).isEqualTo(ru("text.too_long", 2001, 2000));
        chat.send("p".repeat(2000));
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":1");

        ChatMessage card = chat.last();
        assertThat(card.kind()).isEqualTo("document");
        assertThat(card.fileId()).isEqualTo(file.fileId());
        assertThat(card.caption().length()).isLessThanOrEqualTo(1024);
        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.photo().fileId()).isEqualTo(file.fileId());
        assertThat(request.customPrompt()).hasSize(2000);
        assertThat(request.progressMessageId())
                .as("a card sent as a file also has a caption, which the pipeline edits")
                .isEqualTo(card.messageId());
    }

    @Test
    void aFileIsJudgedByItsBytesNotByTheTypeItClaims() {
        chat.send("/start");
        chat.press("gen");
        chat.sendDocument("%PDF-1.4 a catalogue, renamed".getBytes(), "photo.png", "image/png");
        assertThat(chat.lastText()).as("a PDF that claims to be a PNG").isEqualTo(ru("photo.not_an_image"));
        chat.sendDocument("GIF89a not taken by the renderer".getBytes(), "photo.jpg", "image/jpeg");
        assertThat(chat.lastText()).as("a GIF that claims to be a JPEG").isEqualTo(ru("photo.not_an_image"));

        ChatMessage file = chat.sendDocument(SampleMedia.png(320, 240), "photo.jpg", "image/jpeg");
        assertThat(chat.lastText()).as("a real PNG, whatever it claims").isEqualTo(ru("ask.description", 1000));
        chat.send(Flows.DESCRIPTION);
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":UGC");
        chat.send("-");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":1");
        chat.press(chat.button("ok:" + draft + ":"));
        assertThat(Flows.nextRequest(infra.broker()).photo().fileId()).isEqualTo(file.fileId());
    }

    @Test
    void aCardFullOfEmojiFitsTelegramsCaptionLimitAndKeepsItsConfirmButton() {
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send("🎁".repeat(1000)); // 1,000 characters to the seller, 2,000 UTF-16 units to Telegram
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":AD");
        chat.send("👩‍👩‍👧‍👦".repeat(140)); // family emoji: 7 code points, 11 UTF-16 units each
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":3");

        ChatMessage card = chat.last();
        assertThat(card.kind()).as("the card arrived").isEqualTo("photo");
        assertThat(card.caption().length()).isLessThanOrEqualTo(1024);
        assertThat(card.caption()).contains("🎁");
        assertThat(card.buttons()).anyMatch(b -> b.callbackData().startsWith("ok:" + draft + ":"));
    }

    @Test
    void cancelLeavesAnyStepAndStartIsSafeToRepeat() {
        chat.send("/start");
        chat.send("/start");
        assertThat(chat.botMessages()).hasSize(2).allSatisfy(m -> assertThat(m.text())
                .isEqualTo(ru("menu.text", 3, 1)));
        String draft = Flows.toTemplate(chat);
        chat.send("/cancel");
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("cancelled"));
        assertThat(chat.lastText()).isEqualTo(ru("menu.text", 3, 1));

        CallbackAnswer stale = chat.press("tpl:" + draft + ":UGC");
        assertThat(stale.text()).isEqualTo(ru("answer.outdated"));
        assertThat(chat.lastText()).as("nothing moved").isEqualTo(ru("menu.text", 3, 1));
    }

    @Test
    void confirmPressedTwiceStartsOneGenerationAndSaysSo() {
        String draft = Flows.toCard(chat, Template.UGC, 3);
        int card = chat.last().messageId();

        String confirm = chat.button("ok:" + draft + ":");
        String first = chat.user().press(card, confirm);
        String second;
        try {
            second = chat.user().press(card, confirm);
        } catch (IllegalArgumentException buttonsAlreadyGone) {
            second = null;
        }
        chat.awaitHandled();

        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.count()).isEqualTo(3);
        assertThat(Flows.anotherRequest(infra.broker()))
                .as("a second generation.requested")
                .isFalse();
        assertThat(telegram.callbackQuery(first).orElseThrow().text()).isEqualTo(ru("answer.started"));
        if (second != null) {
            String id = second;
            Awaitility.await()
                    .until(() -> telegram.callbackQuery(id).orElseThrow().answered());
            assertThat(telegram.callbackQuery(id).orElseThrow().text()).isEqualTo(ru("answer.already_started"));
        }

        // An old copy of the card's Confirm button (another device, a stale client) starts nothing either.
        var old = pipeline.buttons(chat.id(), "ok:" + draft, "cnt:" + draft + ":5", "edit:" + draft);
        assertThat(chat.press(old.getMessageId(), "ok:" + draft).text()).isEqualTo(ru("answer.already_started"));
        assertThat(chat.press(old.getMessageId(), "cnt:" + draft + ":5").text()).isEqualTo(ru("answer.outdated"));
        assertThat(chat.press(old.getMessageId(), "edit:" + draft).text()).isEqualTo(ru("answer.outdated"));
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();
    }

    @Test
    void staleAndForgedButtonsDoNothingAndAreAlwaysAnswered() {
        String draft = Flows.toCard(chat, Template.AD, 1);
        int before = chat.botCount();
        var forged = pipeline.buttons(
                chat.id(),
                "tpl:" + draft + ":UGC",
                "tpl:" + (Long.parseLong(draft) + 7) + ":AD",
                "cnt:" + draft + ":4",
                "ok:99999",
                "ok:abc",
                "more:../../etc",
                "vid:" + draft + "-1",
                "garbage",
                "ed:" + draft + ":photo",
                "nowish:" + draft);
        for (String data : new String[] {
            "tpl:" + draft + ":UGC",
            "tpl:" + (Long.parseLong(draft) + 7) + ":AD",
            "cnt:" + draft + ":4",
            "ok:99999",
            "ok:abc",
            "more:../../etc",
            "garbage",
            "ed:" + draft + ":photo",
            "nowish:" + draft
        }) {
            CallbackAnswer answer = chat.press(forged.getMessageId(), data);
            assertThat(answer.answered()).as(data).isTrue();
            assertThat(answer.text()).as(data).isEqualTo(ru("answer.outdated"));
        }
        chat.press(forged.getMessageId(), "vid:" + draft + "-1");
        assertThat(chat.lastText()).isEqualTo(ru("video.unavailable"));
        assertThat(chat.botCount())
                .as("only the forged message and the 'unavailable' note")
                .isEqualTo(before + 2);

        // The card is still there and still works.
        chat.press(chat.button("ok:" + draft + ":"));
        assertThat(Flows.nextRequest(infra.broker()).template()).isEqualTo(Template.AD);
    }

    @Test
    void anotherUsersMakeMoreDoesNothingAndRevealsNothingButTheOwnerGetsTheTemplateStep() {
        Flows.toCard(chat, Template.UGC, 1);
        chat.press(chat.button("ok:"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        String jobId = request.job(1).jobId();

        BotChat stranger = new BotChat(telegram, GatewayTestSupport.newUserId());
        stranger.send("/start");
        var forged = pipeline.buttons(stranger.id(), "more:" + jobId, "vid:" + jobId);
        int strangerBefore = stranger.botCount();
        CallbackAnswer answer = stranger.press(forged.getMessageId(), "more:" + jobId);
        assertThat(answer.text()).isEqualTo(ru("answer.outdated"));
        assertThat(stranger.botCount()).isEqualTo(strangerBefore);
        stranger.press(forged.getMessageId(), "vid:" + jobId);
        assertThat(stranger.lastText()).isEqualTo(ru("video.unavailable"));
        stranger.sendPhoto();
        assertThat(stranger.lastText())
                .as("the stranger's conversation is their own")
                .isEqualTo(ru("ask.description", 1000));

        var video = pipeline.deliverVideo(chat.id(), jobId);
        chat.press(video.getMessageId(), "more:" + jobId);
        assertThat(chat.botMessages().get(chat.botCount() - 2).text()).isEqualTo(ru("make_more.intro"));
        assertThat(chat.lastText()).isEqualTo(ru("ask.template"));
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":SELF");
        chat.send("Another angle, please");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":5");
        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested more = Flows.nextRequest(infra.broker());
        assertThat(more.requestId()).isNotEqualTo(request.requestId());
        assertThat(more.photo()).isEqualTo(request.photo());
        assertThat(more.description()).isEqualTo(request.description());
        assertThat(more.template()).isEqualTo(Template.SELF);
        assertThat(more.count()).isEqualTo(5);
    }

    @Test
    void editFromTheCardChangesOneThingAndComesBackToTheCard() {
        String draft = Flows.toCard(chat, Template.UGC, 1);
        chat.press("edit:" + draft);
        assertThat(chat.lastText()).isEqualTo(ru("ask.edit"));
        chat.press("ed:" + draft + ":description");
        chat.send("Новое описание: кошелёк из кожи");
        assertThat(chat.last().kind()).as("back to the card").isEqualTo("photo");
        assertThat(chat.last().caption()).contains("Новое описание");
        chat.press("edit:" + draft);
        chat.press("ed:" + draft + ":count");
        chat.press("cnt:" + draft + ":3");
        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.description()).isEqualTo("Новое описание: кошелёк из кожи");
        assertThat(request.count()).isEqualTo(3);
        assertThat(request.template()).isEqualTo(Template.UGC);
    }

    @Test
    void theSameUpdateDeliveredTwiceIsHandledOnce() throws Exception {
        String draft = Flows.toCard(chat, Template.AD, 3);
        int card = chat.last().messageId();
        int before = chat.botCount();
        long updateId = 1_900_000_000L + ThreadLocalRandom.current().nextInt(50_000_000);
        String json =
                """
                {"update_id": %d, "callback_query": {"id": "dup-%d", "chat_instance": "1", "data": "ok:%s",
                 "from": {"id": %d, "is_bot": false, "first_name": "Dup"},
                 "message": {"message_id": %d, "date": 1, "chat": {"id": %d, "type": "private"}}}}
                """
                        .formatted(updateId, updateId, draft, chat.id(), card, chat.id());
        Update update = new ObjectMapper().readValue(json, Update.class);

        dispatcher.handle(update);
        dispatcher.handle(update);

        assertThat(Flows.nextRequest(infra.broker()).count()).isEqualTo(3);
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();
        assertThat(chat.botCount()).isEqualTo(before);
        try (Connection db = infra.database().connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT count(*) FROM gateway.telegram_update WHERE update_id = ?")) {
            query.setLong(1, updateId);
            ResultSet rows = query.executeQuery();
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void twoConfirmsHandledAtTheSameMomentStartOneGeneration() throws Exception {
        String draft = Flows.toCard(chat, Template.UGC, 1);
        int card = chat.last().messageId();
        long first = 1_700_000_000L + ThreadLocalRandom.current().nextInt(50_000_000);
        // Two presses reaching two gateway instances (webhook mode) at once: the conversation row lock orders them.
        Update a = confirm(first, draft, card);
        Update b = confirm(first + 1, draft, card);
        var one = CompletableFuture.runAsync(() -> dispatcher.handle(a));
        var two = CompletableFuture.runAsync(() -> dispatcher.handle(b));
        one.get(15, TimeUnit.SECONDS);
        two.get(15, TimeUnit.SECONDS);

        assertThat(Flows.nextRequest(infra.broker()).count()).isEqualTo(1);
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();
    }

    private Update confirm(long updateId, String draft, int card) throws Exception {
        String json =
                """
                {"update_id": %d, "callback_query": {"id": "c-%d", "chat_instance": "1", "data": "ok:%s",
                 "from": {"id": %d, "is_bot": false, "first_name": "Twice"},
                 "message": {"message_id": %d, "date": 1, "chat": {"id": %d, "type": "private"}}}}
                """
                        .formatted(updateId, updateId, draft, chat.id(), card, chat.id());
        return new ObjectMapper().readValue(json, Update.class);
    }

    @Test
    void aGatewayRestartedMidConversationCarriesOnWhereTheUserWas() throws Exception {
        String draft = Flows.toTemplate(chat);
        chat.press("tpl:" + draft + ":UGC");
        assertThat(chat.lastText()).isEqualTo(ru("ask.wishes", 1000));

        poller.stop();
        try {
            // While the gateway is down the user goes on; Telegram keeps the updates.
            chat.user().sendText("Минимализм, белый фон");
            assertThat(telegram.pendingUpdates()).hasSize(1);
            assertThat(step(chat.id())).isEqualTo("AWAIT_WISHES");
        } finally {
            poller.start(1, 8);
        }
        chat.awaitHandled();
        assertThat(chat.lastText()).isEqualTo(ru("ask.model"));
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":1");
        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.wishes()).isEqualTo("Минимализм, белый фон");
        assertThat(request.description()).isEqualTo(Flows.DESCRIPTION);
    }

    @Test
    void aReplyTelegramRateLimitedIsSentAfterTheWaitItAskedFor() {
        telegram.failNext("sendMessage", 1, BotApiError.tooManyRequests(1));
        long started = System.nanoTime();
        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(ru("menu.text", 3, 1));
        assertThat(chat.botMessages()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    private String step(long userId) throws Exception {
        try (Connection db = infra.database().connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT step FROM gateway.conversation WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rows = query.executeQuery();
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
