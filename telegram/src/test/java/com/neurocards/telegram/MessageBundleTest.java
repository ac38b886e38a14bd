package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocards.contracts.event.Language;
import java.util.MissingResourceException;
import org.junit.jupiter.api.Test;

/** One loader, one escaping rule: arguments in braces, apostrophes as written, numbers as plain digits, UTF-8. */
class MessageBundleTest {

    final MessageBundle sample = new MessageBundle("bundles.sample", getClass().getClassLoader());

    @Test
    void eachLanguageReadsItsOwnFileAsUtf8() {
        assertThat(sample.get(Language.RU, "greeting", "Анна")).isEqualTo("Привет, Анна!");
        assertThat(sample.get(Language.EN, "greeting", "Ann")).isEqualTo("Hello, Ann!");
    }

    @Test
    void noLanguageMeansTheDefaultOne() {
        assertThat(sample.get(null, "greeting", "Анна")).isEqualTo("Привет, Анна!");
    }

    @Test
    void anApostropheIsShownAsWrittenWithOrWithoutArguments() {
        assertThat(sample.get(Language.EN, "balance", 7, 12)).isEqualTo("User 7's balance: 12 credits");
        assertThat(sample.get(Language.EN, "apostrophe", "Ann")).isEqualTo("User Ann's");
        assertThat(sample.get(Language.EN, "plain")).isEqualTo("Don't worry, it's plain");
        assertThat(sample.get(Language.RU, "plain")).isEqualTo("Без аргументов, а '' и {0} как написано");
    }

    @Test
    void numbersArePlainDigitsInEveryLanguage() {
        assertThat(sample.get(Language.RU, "balance", 1234567L, 1000000))
                .isEqualTo("Баланс пользователя 1234567: 1000000 кредитов");
        assertThat(sample.get(Language.EN, "balance", 1234567L, 2.5)).isEqualTo("User 1234567's balance: 2.5 credits");
    }

    @Test
    void aWordAgreesWithItsNumberByEachLanguagesRule() {
        assertThat(sample.get(Language.RU, "videos", 1, 1)).isEqualTo("1 видео (1 кредит)");
        assertThat(sample.get(Language.RU, "videos", 3, 3)).isEqualTo("3 видео (3 кредита)");
        assertThat(sample.get(Language.RU, "videos", 5, 5)).isEqualTo("5 видео (5 кредитов)");
        assertThat(sample.get(Language.RU, "videos", 1, 21)).isEqualTo("1 видео (21 кредит)");
        assertThat(sample.get(Language.RU, "videos", 1, 22)).isEqualTo("1 видео (22 кредита)");
        assertThat(sample.get(Language.RU, "videos", 1, 11)).isEqualTo("1 видео (11 кредитов)");
        assertThat(sample.get(Language.RU, "videos", 1, 12)).isEqualTo("1 видео (12 кредитов)");
        assertThat(sample.get(Language.RU, "videos", 1, 111)).isEqualTo("1 видео (111 кредитов)");
        assertThat(sample.get(Language.RU, "videos", 1, 0)).isEqualTo("1 видео (0 кредитов)");
        assertThat(sample.get(Language.EN, "videos", 1, 1)).isEqualTo("1 video (1 credit)");
        assertThat(sample.get(Language.EN, "videos", 3, 3)).isEqualTo("3 videos (3 credits)");
        assertThat(sample.get(Language.EN, "videos", 5, 21)).isEqualTo("5 videos (21 credits)");
        assertThat(sample.get(Language.EN, "videos", "1", 0L)).isEqualTo("1 video (0 credits)");
    }

    @Test
    void aPluralNeedsAWholeNumber() {
        assertThatThrownBy(() -> sample.get(Language.EN, "videos", "three", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> sample.get(Language.EN, "videos", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no argument 1");
    }

    @Test
    void aMissingTextIsAnErrorNotTheOtherLanguage() {
        MessageBundle broken = new MessageBundle("bundles.broken", getClass().getClassLoader());

        assertThat(broken.has(Language.RU, "only.russian")).isTrue();
        assertThat(broken.has(Language.EN, "only.russian")).isFalse();
        assertThatThrownBy(() -> broken.get(Language.EN, "only.russian"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only.russian")
                .hasMessageContaining("EN");
    }

    @Test
    void problemsNameMissingTextsAndInvalidPatterns() {
        MessageBundle broken = new MessageBundle("bundles.broken", getClass().getClassLoader());

        assertThat(broken.problems())
                .hasSize(4)
                .contains("bundles.broken_en: no text 'only.russian'")
                .contains(
                        "bundles.broken_ru: 'bad.plural' is not a valid pattern: {0,plural,...} has 2 forms, RU needs 3")
                .anyMatch(p -> p.startsWith("bundles.broken_ru: 'bad.pattern' is not a valid pattern"))
                .anyMatch(p -> p.startsWith("bundles.broken_en: 'bad.pattern' is not a valid pattern"));
        assertThat(sample.problems()).isEmpty();
        assertThat(sample.keys(Language.EN)).containsExactlyInAnyOrderElementsOf(sample.keys(Language.RU));
    }

    @Test
    void aLanguageWithoutItsFileIsRefusedAtOnce() {
        assertThatThrownBy(() -> new MessageBundle("bundles.nothing", getClass().getClassLoader()))
                .isInstanceOf(MissingResourceException.class);
    }
}
