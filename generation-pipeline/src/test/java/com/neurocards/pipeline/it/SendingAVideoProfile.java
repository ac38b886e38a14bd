package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Sending videos: two tries per message, and room for two videos of the 50 MB upload cap in memory at once (the
 * deliveries beyond wait for their turn).
 */
public class SendingAVideoProfile implements QuarkusTestProfile {

    /** Two videos of the default upload cap (50 MiB). */
    static final long MEMORY_BUDGET = 2L * 52428800;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "neurocards.messaging.consumers.max-attempts",
                "2",
                "neurocards.pipeline.deliver.memory-budget",
                String.valueOf(MEMORY_BUDGET));
    }
}
