package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.messaging.safety.UnsafeSetting;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SUPPORT_CONTACT: a Telegram @username or an https link, or production does not start. */
class SupportContactTest {

    static final String TOKEN = "1234567890:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "@neurocards_help",
                "@Abcde",
                "@a1234567890123456789012345678901",
                "https://t.me/neurocards_help",
                "https://help.example.com/bot?from=telegram",
                "  @neurocards_help  "
            })
    void aUsernameOrAnHttpsLinkIsAContact(String value) {
        assertThat(SupportContact.problem(value)).isEmpty();
        assertThat(SupportContact.of(value).contact()).contains(value.strip());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "neurocards_help",
                "@abcd",
                "@1abcde",
                "@_abcde",
                "@abcde_",
                "@neuro-cards",
                "@neuro cards",
                "@a12345678901234567890123456789012",
                "http://t.me/neurocards_help",
                "t.me/neurocards_help",
                "https://",
                "https://user:secret@help.example.com",
                "mailto:help@example.com",
                "https://help example.com"
            })
    void anythingElseIsNot(String value) {
        assertThat(SupportContact.problem(value)).isPresent();
        assertThat(SupportContact.of(value).contact()).isEmpty();
        assertThat(SupportContact.of(null).contact()).isEmpty();
    }

    @Test
    void productionDoesNotStartWithoutAValidContact() {
        assertThat(new TelegramSafety(new Config(TOKEN, Optional.of("@neurocards_help"))).check())
                .isEmpty();
        assertThat(new TelegramSafety(new Config(TOKEN, Optional.empty())).check())
                .extracting(UnsafeSetting::line)
                .singleElement()
                .asString()
                .startsWith("Refusing to start: SUPPORT_CONTACT is empty, so a seller whose payment or video fails");
        assertThat(new TelegramSafety(new Config(TOKEN, Optional.of("support"))).check())
                .extracting(UnsafeSetting::variable)
                .containsExactly("SUPPORT_CONTACT");
        assertThat(new TelegramSafety(new Config(TelegramSafety.DEMO_TOKEN, Optional.empty())).check())
                .extracting(UnsafeSetting::variable)
                .containsExactly("TELEGRAM_BOT_TOKEN", "SUPPORT_CONTACT");
    }

    private record Config(String botToken, Optional<String> supportContact) implements TelegramConfig {
        @Override
        public String apiUrl() {
            return "http://127.0.0.1:9";
        }

        @Override
        public long maxDownloadBytes() {
            return 20L * 1024 * 1024;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Limits limits() {
            return new TestTelegramConfig.TestLimits(Duration.ofSeconds(1), 30, true);
        }
    }
}
