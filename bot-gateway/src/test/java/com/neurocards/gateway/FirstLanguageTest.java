package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.UserProfile;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The language a seller is first greeted in comes from their Telegram app ({@code from.language_code}); after that it
 * is theirs: neither another app language later nor anything but /language changes it.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class FirstLanguageTest {

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @Inject
    MessageBundle texts;

    @ParameterizedTest(name = "app in \"{0}\": greeted in {1}")
    @CsvSource(
            nullValues = "none",
            value = {"ru, RU", "uk, RU", "be, RU", "kk, RU", "ru-RU, RU", "en, EN", "de, EN", "none, EN"})
    void aNewSellerIsGreetedInTheLanguageOfTheirApp(String languageCode, Language expected) {
        BotChat chat = chatIn(GatewayTestSupport.newUserId(), languageCode);

        chat.send("/start");

        assertThat(chat.lastText()).isEqualTo(menu(expected));
    }

    @Test
    void anyFirstMessageGreetsInTheAppsLanguage() {
        long user = GatewayTestSupport.newUserId();
        BotChat chat = chatIn(user, "de");
        chat.send("/help");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.EN, "help", GatewayTestSupport.SUPPORT_CONTACT));
    }

    @Test
    void theLanguageOfTheFirstContactStaysWhenTheAppLanguageChanges() {
        long user = GatewayTestSupport.newUserId();
        chatIn(user, "uk").send("/start");

        BotChat later = chatIn(user, "en");
        later.send("/start");

        assertThat(later.lastText()).isEqualTo(menu(Language.RU));
    }

    @Test
    void aChosenLanguageStaysWhenTheAppLanguageChanges() {
        long user = GatewayTestSupport.newUserId();
        BotChat chat = chatIn(user, "en");
        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(menu(Language.EN));

        chat.press("lang");
        chat.press("lang:ru");
        assertThat(chat.lastText()).isEqualTo(menu(Language.RU));

        BotChat later = chatIn(user, "en-US");
        later.send("/start");
        assertThat(later.lastText()).isEqualTo(menu(Language.RU));

        later.send("/language");
        later.press("lang:en");
        BotChat russianApp = chatIn(user, "ru");
        russianApp.send("/start");
        assertThat(russianApp.lastText()).isEqualTo(menu(Language.EN));
    }

    /** The user's chat with their app in {@code languageCode} (null: Telegram sends none). */
    private BotChat chatIn(long user, String languageCode) {
        telegram.user(UserProfile.of(user).withLanguageCode(languageCode));
        return new BotChat(telegram, user);
    }

    private String menu(Language language) {
        return texts.get(language, "menu.text", FakeBilling.WELCOME, 1);
    }
}
