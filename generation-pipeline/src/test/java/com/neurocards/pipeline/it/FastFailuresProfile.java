package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Failure tests: two tries per stage, keys back in rotation after a second, a short render deadline. */
public class FastFailuresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "neurocards.messaging.consumers.max-attempts", "2",
                "neurocards.pipeline.kie.disabled-cooldown", "1s",
                "neurocards.pipeline.kie.rate-limit-cooldown", "1s",
                "neurocards.pipeline.poll.deadline", "12s");
    }
}
