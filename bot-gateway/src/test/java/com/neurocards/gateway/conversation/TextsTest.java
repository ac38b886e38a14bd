package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Language;
import org.junit.jupiter.api.Test;

import java.text.MessageFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TextsTest {

    final Texts texts = new Texts();

    @Test
    void bothLanguagesHaveEveryText() {
        assertThat(texts.keys(Language.EN)).containsExactlyInAnyOrderElementsOf(texts.keys(Language.RU));
    }

    @Test
    void everyTextIsAValidPatternAndRussianIsTheDefault() {
        for (Language language : Language.values()) {
            for (String key : texts.keys(language)) {
                assertThat(new MessageFormat(texts.get(language, key)).toPattern()).as(key).isNotNull();
            }
        }
        assertThat(Language.DEFAULT).isEqualTo(Language.RU);
        assertThat(texts.get(Language.RU, "button.generate")).isEqualTo("🎬 Создать ролики");
        assertThat(texts.get(Language.EN, "button.generate")).isEqualTo("🎬 Generate reels");
    }

    @Test
    void numbersArePlainDigitsAndApostrophesSurvive() {
        assertThat(texts.get(Language.RU, "text.too_long", 12345, 1000)).contains("12345").contains("1000");
        assertThat(texts.get(Language.EN, "admin.grant.rejected", 7)).isEqualTo("Refused: user 7's balance would go below zero.");
    }
}
