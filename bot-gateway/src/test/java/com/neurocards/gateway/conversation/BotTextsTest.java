package com.neurocards.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.config.GatewayBeans;
import com.neurocards.telegram.MessageBundle;
import org.junit.jupiter.api.Test;

/** The bot's texts ({@code i18n/messages_*.properties}) as the gateway reads them. */
class BotTextsTest {

    final MessageBundle texts = new MessageBundle(GatewayBeans.TEXTS, getClass().getClassLoader());

    @Test
    void bothLanguagesHaveEveryTextAndEachIsAValidPattern() {
        assertThat(texts.problems()).isEmpty();
        assertThat(texts.keys(Language.EN)).containsExactlyInAnyOrderElementsOf(texts.keys(Language.RU));
    }

    @Test
    void russianIsTheDefault() {
        assertThat(Language.DEFAULT).isEqualTo(Language.RU);
        assertThat(texts.get(Language.RU, "button.generate")).isEqualTo("🎬 Сгенерировать reels");
        assertThat(texts.get(Language.EN, "button.generate")).isEqualTo("🎬 Generate reels");
    }

    @Test
    void theButtonsSayWhatTheyDo() {
        assertThat(texts.get(Language.RU, "button.make_more")).isEqualTo("🔄 Сделать ещё с этим товаром");
        assertThat(texts.get(Language.EN, "button.make_more")).isEqualTo("🔄 Make more with this product");
        assertThat(texts.get(Language.RU, "button.menu")).isEqualTo("🏠 Вернуться в меню");
        assertThat(texts.get(Language.EN, "button.menu")).isEqualTo("🏠 Back to menu");
    }

    @Test
    void aCountSaysHowManyVideosAndCreditsInTheRightForms() {
        assertThat(texts.get(Language.RU, "button.count", 1, 1)).isEqualTo("1 видео (1 кредит)");
        assertThat(texts.get(Language.RU, "button.count", 3, 3)).isEqualTo("3 видео (3 кредита)");
        assertThat(texts.get(Language.RU, "button.count", 5, 5)).isEqualTo("5 видео (5 кредитов)");
        assertThat(texts.get(Language.RU, "button.count", 3, 21)).isEqualTo("3 видео (21 кредит)");
        assertThat(texts.get(Language.RU, "button.count", 5, 15)).isEqualTo("5 видео (15 кредитов)");
        assertThat(texts.get(Language.EN, "button.count", 1, 1)).isEqualTo("1 video (1 credit)");
        assertThat(texts.get(Language.EN, "button.count", 3, 3)).isEqualTo("3 videos (3 credits)");
        assertThat(texts.get(Language.EN, "button.count", 5, 10)).isEqualTo("5 videos (10 credits)");
    }

    @Test
    void numbersArePlainDigitsAndApostrophesSurvive() {
        assertThat(texts.get(Language.RU, "text.too_long", 12345, 1000))
                .contains("12345")
                .contains("1000");
        assertThat(texts.get(Language.EN, "admin.grant.rejected", 7))
                .isEqualTo("Refused: user 7's balance would go below zero.");
    }
}
