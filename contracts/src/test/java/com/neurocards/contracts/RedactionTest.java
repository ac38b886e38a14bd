package com.neurocards.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET https://api.telegram.org/file/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/photos/f.jpg | 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                "Authorization: Bearer sk-live-abcdef0123456789 | sk-live-abcdef0123456789",
                "url?api_key=s3cr3tvalue&x=1 | s3cr3tvalue",
                "{\"token\":\"tok-998877\"} | tok-998877",
                "POST https://bot.example.com/kie/callback/3f9a1c2b7d4e5f60a1b2c3d4 failed | 3f9a1c2b7d4e5f60a1b2c3d4",
                "callBackUrl=https://bot.example.com/kie/callback/cb-secret-77?x=1 | cb-secret-77",
                "{\"callBackUrl\":\"https://h/kie/callback/cb-secret-88\"} | cb-secret-88",
                "X-Internal-Token: int-tok-4242 | int-tok-4242",
                "headers x-internal-token=int-tok-4343 accept=json | int-tok-4343",
                "{\"X-Internal-Token\":\"int-tok-4444\"} | int-tok-4444",
                "X-Internal-Token=[int-tok-4545] | int-tok-4545",
            })
    void secretsAreMasked(String text, String secret) {
        assertThat(Redaction.redact(text)).doesNotContain(secret).contains("***");
    }

    @Test
    void literalSecretsAreMaskedToo() {
        assertThat(Redaction.redact("key kie-abc-123 refused", List.of("kie-abc-123")))
                .isEqualTo("key *** refused");
    }

    @Test
    void theCallbackPathKeepsItsShapeWithTheSecretMasked() {
        assertThat(Redaction.redact("callback to https://bot.example.com/kie/callback/abcdef012345/ answered 404"))
                .isEqualTo("callback to https://bot.example.com/kie/callback/***/ answered 404");
    }

    @Test
    void describeIsOneBoundedLineWithoutSecrets() {
        String line = Redaction.describe(
                new IOException("failed\nfetching https://x/file/bot1234567:ABCDEFGHIJKLMNOP/a " + "x".repeat(1000)));
        assertThat(line)
                .startsWith("IOException: failed fetching")
                .doesNotContain("ABCDEFGHIJKLMNOP")
                .doesNotContain("\n");
        assertThat(line.length()).isLessThanOrEqualTo(500);
    }
}
