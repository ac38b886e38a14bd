package com.neurocards.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.emulators.kie.KieEmulator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KieCallbackSignatureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsKiesSignatureAndNothingElse() {
        String signature = KieEmulator.webhookSignature("veo_task_1", "1700000000", "hmac-key");
        assertThat(KieCallbackResource.validSignature("veo_task_1", "1700000000", signature, "hmac-key"))
                .isTrue();
        assertThat(KieCallbackResource.validSignature("veo_task_2", "1700000000", signature, "hmac-key"))
                .isFalse();
        assertThat(KieCallbackResource.validSignature("veo_task_1", "1700000001", signature, "hmac-key"))
                .isFalse();
        assertThat(KieCallbackResource.validSignature("veo_task_1", null, null, "hmac-key"))
                .isFalse();
    }

    @Test
    void aTimestampIsFreshOnlyWithinTheWindowEitherWay() {
        Instant now = Instant.ofEpochSecond(1_700_000_000);
        Duration window = Duration.ofMinutes(5);
        assertThat(KieCallbackResource.fresh("1700000000", now, window)).isTrue();
        assertThat(KieCallbackResource.fresh("1699999700", now, window))
                .as("5 min ago")
                .isTrue();
        assertThat(KieCallbackResource.fresh("1700000300", now, window))
                .as("5 min ahead")
                .isTrue();
        assertThat(KieCallbackResource.fresh("1699999699", now, window))
                .as("older")
                .isFalse();
        assertThat(KieCallbackResource.fresh("1700000301", now, window))
                .as("further ahead")
                .isFalse();
        assertThat(KieCallbackResource.fresh("1700000000000", now, window))
                .as("milliseconds")
                .isFalse();
        assertThat(KieCallbackResource.fresh("yesterday", now, window)).isFalse();
        assertThat(KieCallbackResource.fresh(null, now, window)).isFalse();
    }

    @Test
    void readsTheTaskIdUnderEitherSpelling() {
        assertThat(KieCallbackResource.taskId(JSON, "{\"code\":200,\"data\":{\"taskId\":\"t1\"}}"))
                .isEqualTo("t1");
        assertThat(KieCallbackResource.taskId(JSON, "{\"code\":200,\"data\":{\"task_id\":\"t2\"}}"))
                .isEqualTo("t2");
        assertThat(KieCallbackResource.taskId(JSON, "not json")).isNull();
    }
}
