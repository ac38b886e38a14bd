package com.neurocards.messaging.safety;

import java.util.List;

/**
 * A check of one service's settings that must pass before the service runs in production. Each service contributes
 * its rules as CDI beans; {@link ProductionSafety} runs all of them at start-up and refuses to start on any finding.
 * A rule only reads configuration: it never calls out, so it is cheap and deterministic.
 */
public interface SafetyRule {

    /** What is unsafe right now; empty when all is well. */
    List<UnsafeSetting> check();
}
