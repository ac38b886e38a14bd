package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.InlineButton;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.Flows;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seller's conversation (docs/architecture.md#what-a-seller-does) end to end through the real telegrambots client
 * and the Telegram emulator: every template, every count, both languages, ending in exactly one
 * {@code generation.requested} (read from billing's queue) with the right fields.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class GenerationFlowTest {

    static final String DESCRIPTION = "Термокружка 450 мл, держит тепло 8 часов, для офиса и машины";

    /** The MODEL_PRICE_* defaults the gateway runs with here. */
    static final Map<VideoModel, Long> PRICES =
            Map.of(VideoModel.VEO3_FAST, 1L, VideoModel.VEO3, 3L, VideoModel.SORA2, 2L);

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @BeforeEach
    void emptyBillingQueue() {
        infra.broker().purge(QueueName.BILLING_DEBIT.queueName());
    }

    static Stream<Arguments> everyTemplateCountAndLanguage() {
        List<Arguments> all = new ArrayList<>();
        for (Language language : Language.values()) {
            for (Template template : Template.values()) {
                for (int count : List.of(1, 3, 5)) {
                    all.add(Arguments.of(template, count, language));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} x{1} in {2}")
    @MethodSource("everyTemplateCountAndLanguage")
    void aConfirmedDraftPublishesExactlyOneGenerationRequested(Template template, int count, Language language) {
        BotChat chat = new BotChat(telegram, GatewayTestSupport.newUserId());

        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "menu.text", FakeBilling.WELCOME, 1));
        assertThat(chat.last().buttons())
                .extracting(InlineButton::callbackData)
                .containsExactly("gen", "buy", "vids", "help", "lang");
        if (language == Language.EN) {
            chat.press("lang");
            chat.press("lang:en");
            assertThat(chat.lastText()).isEqualTo(texts.get(Language.EN, "menu.text", FakeBilling.WELCOME, 1));
        }

        chat.press("gen");
        assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.photo"));

        ChatMessage photo = chat.sendPhoto();
        assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.description", 1000));

        chat.send(DESCRIPTION);
        assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.template"));
        String draft = chat.button("tpl:").split(":")[1];
        assertThat(chat.last().buttons())
                .extracting(InlineButton::callbackData)
                .containsExactly(
                        "tpl:" + draft + ":UGC", "tpl:" + draft + ":AD", "tpl:" + draft + ":SELF", "no:" + draft);

        chat.press("tpl:" + draft + ":" + template.name());
        String followUp;
        if (template == Template.SELF) {
            assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.prompt", 2000));
            followUp = "A woman pours hot tea from the mug in a snowy car, close-up, morning light";
        } else {
            assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.wishes", 1000));
            followUp = count == 3 ? "-" : "Уютная кухня, утро";
        }
        chat.send(followUp);

        // the model step: each model with its price per video, the cheap default first
        assertThat(chat.lastText()).isEqualTo(texts.get(language, "ask.model"));
        assertThat(chat.last().buttons())
                .extracting(InlineButton::text, InlineButton::callbackData)
                .containsExactly(
                        tuple(texts.get(language, "button.model.VEO3_FAST", 1), "mdl:" + draft + ":fast"),
                        tuple(texts.get(language, "button.model.VEO3", 3), "mdl:" + draft + ":quality"),
                        tuple(texts.get(language, "button.model.SORA2", 2), "mdl:" + draft + ":sora2"),
                        tuple(texts.get(language, "button.cancel"), "no:" + draft));
        // every model in turn across the cases; 5 Fast videos cost more than the welcome credits (3)
        VideoModel model = VideoModel.values()[(template.ordinal() + count) % VideoModel.values().length];
        long price = PRICES.get(model);
        chat.press("mdl:" + draft + ":" + model.code());

        // the count step: count x the model's price; what the balance (3) cannot cover is marked, with a top-up
        String askCount = texts.get(language, "ask.count", FakeBilling.WELCOME);
        List<String> countButtons = new ArrayList<>();
        for (int n : List.of(1, 3, 5)) {
            countButtons.add(texts.get(
                    language, n * price <= FakeBilling.WELCOME ? "button.count" : "button.count.short", n, n * price));
        }
        if (5 * price > FakeBilling.WELCOME) {
            askCount = askCount + "\n" + texts.get(language, "ask.count.short");
            countButtons.add(texts.get(language, "button.topup"));
        }
        countButtons.add(texts.get(language, "button.cancel"));
        assertThat(chat.lastText()).isEqualTo(askCount);
        assertThat(chat.last().buttons()).extracting(InlineButton::text).containsExactlyElementsOf(countButtons);

        chat.press("cnt:" + draft + ":" + count);
        ChatMessage card = chat.last();
        assertThat(card.kind()).isEqualTo("photo");
        assertThat(card.fileId()).isEqualTo(photo.fileId());
        assertThat(card.caption())
                .contains(DESCRIPTION)
                .contains(texts.get(language, "template." + template.name()))
                .contains(String.valueOf(count))
                .contains(texts.get(language, "card.model", texts.get(language, "model." + model.name()), price))
                .contains(String.valueOf(count * price));
        String confirm = Flows.confirm(chat, draft);
        assertThat(card.buttons())
                .extracting(InlineButton::callbackData)
                .containsExactly(confirm, "edit:" + draft, "no:" + draft);

        var answer = chat.press(confirm);
        assertThat(answer.text()).isEqualTo(texts.get(language, "answer.started"));

        GetResponse published = infra.broker().await(QueueName.BILLING_DEBIT.queueName(), Duration.ofSeconds(10));
        assertThat(published).as("generation.requested on billing.debit").isNotNull();
        Envelope<GenerationRequested> envelope = EventCodec.decode(published.getBody(), GenerationRequested.class);
        GenerationRequested request = envelope.payload();
        assertThat(request.userId()).isEqualTo(chat.id());
        assertThat(request.chatId()).isEqualTo(chat.id());
        assertThat(request.locale()).isEqualTo(language);
        assertThat(request.photo().fileId()).isEqualTo(photo.fileId());
        assertThat(request.photo().fileUniqueId()).isNotBlank();
        assertThat(request.description()).isEqualTo(DESCRIPTION);
        assertThat(request.template()).isEqualTo(template);
        assertThat(request.count()).isEqualTo(count);
        assertThat(request.model()).isEqualTo(model.id());
        assertThat(request.aspectRatio()).isEqualTo("9:16");
        assertThat(request.progressMessageId())
                .as("the card pressed is where the pipeline shows the progress")
                .isEqualTo(card.messageId());
        assertThat(envelope.correlationId()).isEqualTo(request.requestId());
        if (template == Template.SELF) {
            assertThat(request.customPrompt()).isEqualTo(followUp);
            assertThat(request.wishes()).isNull();
        } else {
            assertThat(request.customPrompt()).isNull();
            assertThat(request.wishes()).isEqualTo(followUp.equals("-") ? null : followUp);
        }
        assertThat(telegram.message(chat.id(), card.messageId()).orElseThrow().buttons())
                .as("the confirmed card keeps no buttons")
                .isEmpty();
        assertThat(telegram.message(chat.id(), card.messageId()).orElseThrow().caption())
                .as("the gateway leaves the caption to the pipeline: only the buttons were edited")
                .isEqualTo(card.caption());
        assertThat(telegram.calls("editMessageCaption")).isEmpty();
        assertThat(infra.broker().await(QueueName.BILLING_DEBIT.queueName(), Duration.ofMillis(500)))
                .as("exactly one generation.requested")
                .isNull();
    }
}
