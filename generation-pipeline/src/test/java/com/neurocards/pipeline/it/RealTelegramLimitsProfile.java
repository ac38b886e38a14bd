package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The production spacing of Telegram sends (one per second per chat), against an emulator with Telegram's real limits. */
public class RealTelegramLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("neurocards.telegram.limits.per-chat-interval", "1s");
    }
}
