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
        assertThat(texts.get(Language.RU, "button.generate")).isEqualTo("🎬 Создать ролики");
        assertThat(texts.get(Language.EN, "button.generate")).isEqualTo("🎬 Generate reels");
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
