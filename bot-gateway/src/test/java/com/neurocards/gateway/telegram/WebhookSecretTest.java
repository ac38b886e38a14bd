package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    private static final Optional<String> SECRET = Optional.of("b7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5");

    @Test
    void onlyTheConfiguredSecretIsAccepted() {
        assertThat(WebhookResource.secretMatches(SECRET, SECRET.get())).isTrue();
        assertThat(WebhookResource.secretMatches(SECRET, "guess")).isFalse();
        assertThat(WebhookResource.secretMatches(SECRET, null)).isFalse();
    }

    @Test
    void withoutAConfiguredSecretNoCallIsAccepted() {
        assertThat(WebhookResource.secretMatches(Optional.empty(), null)).isFalse();
        assertThat(WebhookResource.secretMatches(Optional.empty(), "")).isFalse();
        assertThat(WebhookResource.secretMatches(Optional.of(""), "")).isFalse();
        assertThat(WebhookResource.secretMatches(Optional.of(" "), " ")).isFalse();
    }
}
