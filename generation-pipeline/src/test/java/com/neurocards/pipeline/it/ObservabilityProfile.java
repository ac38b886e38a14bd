package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An admin to alert, a credit threshold to cross, and debug lines from our code (more lines to check for ids). */
public class ObservabilityProfile implements QuarkusTestProfile {

    static final long ADMIN_CHAT = 990_001L;
    static final long THRESHOLD = 500;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "neurocards.pipeline.admin-chat-ids", String.valueOf(ADMIN_CHAT),
                "neurocards.pipeline.kie.credit-alert-threshold", String.valueOf(THRESHOLD),
                "quarkus.log.category.\"com.neurocards\".level", "DEBUG");
    }
}
