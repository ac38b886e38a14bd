package com.neurocards.messaging.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.testing.ServiceProcess;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void aSecretTheTestsGenerateIsStrongAndFreshEachTime() {
        String one = ServiceProcess.randomSecret();
        assertThat(one).hasSize(64);
        assertThat(Secrets.strong(one)).isTrue();
        assertThat(ServiceProcess.randomSecret()).isNotEqualTo(one);
    }

    @Test
    void shortRepeatedOrPlaceholderSecretsAreWeak() {
        assertThat(Secrets.strong(null)).isFalse();
        assertThat(Secrets.strong("")).isFalse();
        assertThat(Secrets.strong("s3cr3t-but-short")).isFalse();
        assertThat(Secrets.strong("a".repeat(64))).isFalse();
        assertThat(Secrets.strong("abababababababababababababababab")).isFalse();
        assertThat(Secrets.strong("changeme-changeme-changeme-changeme")).isFalse();
        assertThat(Secrets.strong("secretsecretsecretsecretsecret-12")).isFalse();
        assertThat(Secrets.strong("Q7f9-kLm2_xZ8pR4tV1wY6bN3cD5eG0h")).isTrue();
    }

    @Test
    void missingMeansAbsentEmptyOrBlank() {
        assertThat(Secrets.missing(Optional.empty())).isTrue();
        assertThat(Secrets.missing(Optional.of(""))).isTrue();
        assertThat(Secrets.missing(Optional.of("  "))).isTrue();
        assertThat(Secrets.missing(Optional.of("x"))).isFalse();
    }

    @Test
    void aBotTokenHasBotFathersShape() {
        assertThat(Secrets.wellFormedBotToken("7512345678:AAHk3v9Qz1x-Lm2Nq8Rr4Ts6Uv0Wx_Yz5Ab"))
                .isTrue();
        assertThat(Secrets.wellFormedBotToken("123456:LOCAL-DEMO-TOKEN")).isFalse();
        assertThat(Secrets.wellFormedBotToken("not a token")).isFalse();
        assertThat(Secrets.wellFormedBotToken("")).isFalse();
        assertThat(Secrets.wellFormedBotToken(null)).isFalse();
    }

    @Test
    void matchingNeedsTheExactSecret() {
        assertThat(Secrets.matches("abc", "abc")).isTrue();
        assertThat(Secrets.matches("abc", "abd")).isFalse();
        assertThat(Secrets.matches("abc", "abcd")).isFalse();
        assertThat(Secrets.matches("abc", null)).isFalse();
        assertThat(Secrets.matches(null, "abc")).isFalse();
    }

    @Test
    void aRefusalLineNamesTheVariableAndTheRemedyButNoValue() {
        UnsafeSetting setting = new UnsafeSetting("BILLING_INTERNAL_TOKEN", "is empty", "set a random secret");
        assertThat(setting.line()).isEqualTo("Refusing to start: BILLING_INTERNAL_TOKEN is empty: set a random secret");
    }
}
