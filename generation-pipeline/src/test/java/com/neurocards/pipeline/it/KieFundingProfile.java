package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * KIE funding tests: two tries per stage, one admin, a support contact, set-aside keys' balances read every second,
 * and a short overall job deadline, which is how long a job waits for a top-up (long enough for a test to top up
 * within it).
 */
public class KieFundingProfile implements QuarkusTestProfile {

    static final long ADMIN = 770_001;
    static final String SUPPORT = "@neurocards_help";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "neurocards.messaging.consumers.max-attempts", "2",
                "neurocards.pipeline.kie.rate-limit-cooldown", "1s",
                "neurocards.pipeline.kie.funding-check-interval", "1s",
                "neurocards.pipeline.job-deadline", "60s",
                "neurocards.pipeline.admin-chat-ids", String.valueOf(ADMIN),
                "neurocards.telegram.support-contact", SUPPORT);
    }
}
