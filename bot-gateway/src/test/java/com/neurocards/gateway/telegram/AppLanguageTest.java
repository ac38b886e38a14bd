package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppLanguageTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(
            nullValues = "none",
            value = {
                "ru, RU",
                "uk, RU",
                "be, RU",
                "kk, RU",
                "ru-RU, RU",
                "uk-UA, RU",
                "RU, RU",
                "kk_KZ, RU",
                "en, EN",
                "en-GB, EN",
                "de, EN",
                "ky, EN",
                "kka, EN",
                "rus, EN",
                "'', EN",
                "none, EN"
            })
    void russianForRuUkBeAndKkEnglishOtherwise(String languageCode, Language expected) {
        assertThat(AppLanguage.of(languageCode)).isEqualTo(expected);
    }
}
