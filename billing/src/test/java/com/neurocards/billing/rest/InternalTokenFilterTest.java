package com.neurocards.billing.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalTokenFilterTest {

    private static final Optional<String> TOKEN = Optional.of("4f1c0e9a7b2d4c6e8f0a1b3c5d7e9f10");

    @Test
    void theRightTokenPasses() {
        assertThat(InternalTokenFilter.refusal(TOKEN, TOKEN.get())).isEmpty();
    }

    @Test
    void aMissingOrWrongTokenIsRefused() {
        assertThat(InternalTokenFilter.refusal(TOKEN, null)).contains("missing X-Internal-Token");
        assertThat(InternalTokenFilter.refusal(TOKEN, "")).contains("missing X-Internal-Token");
        assertThat(InternalTokenFilter.refusal(TOKEN, TOKEN.get() + "x")).contains("wrong X-Internal-Token");
        assertThat(InternalTokenFilter.refusal(TOKEN, TOKEN.get().substring(1))).contains("wrong X-Internal-Token");
    }

    @Test
    void withoutAConfiguredTokenTheApiIsShutNotOpen() {
        assertThat(InternalTokenFilter.refusal(Optional.empty(), null))
                .hasValueSatisfying(message -> assertThat(message).contains("BILLING_INTERNAL_TOKEN is not set"));
        assertThat(InternalTokenFilter.refusal(Optional.empty(), "anything")).isPresent();
    }
}
