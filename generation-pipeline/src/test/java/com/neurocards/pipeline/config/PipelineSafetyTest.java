package com.neurocards.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineSafetyTest {

    @ParameterizedTest(name = "{0} is public: {1}")
    @CsvSource({
        "https://bot.example.com/kie/callback, true",
        "https://203.0.113.7/kie/callback, true",
        "http://[2001:db8::1]:8082/kie/callback, true",
        "https://cafe.beef/kie/callback, true",
        "http://127.0.0.1:8082/kie/callback, false",
        "http://localhost:8082/kie/callback, false",
        "http://pipeline.localhost/kie/callback, false",
        "http://10.1.2.3:8082/kie/callback, false",
        "http://192.168.0.10/kie/callback, false",
        "http://172.16.5.4/kie/callback, false",
        "http://169.254.10.1/kie/callback, false",
        "http://[::1]:8082/kie/callback, false",
        "http://[fe80::1]/kie/callback, false",
        "not a url at all, true",
    })
    void aCallbackAddressIsPublicUnlessItIsLiterallyLocalOrPrivate(String url, boolean expected) {
        assertThat(PipelineSafety.isPublic(url)).isEqualTo(expected);
    }
}
