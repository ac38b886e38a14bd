package com.neurocards.pipeline.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The first look at a render after 5 s, every later one after a minute: a poll in between can only come from a
 * callback, so a test can tell whether one was taken up without racing the schedule.
 */
public class UntrustedKieAnswersProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // KIE's create answer is held 8 s in one test (the suite's 5 s read timeout would give up on it)
        return Map.of("neurocards.pipeline.poll.schedule", "5s,60s", "quarkus.rest-client.kie.read-timeout", "15000");
    }
}
