package com.neurocards.pipeline.kie;

import com.neurocards.messaging.health.OutsideService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * KIE as a health probe: the credit balance with one key (cheap, no task created, not rate-limited like creates).
 * Probes run one after another on their own thread, which waits for the answer here.
 */
@ApplicationScoped
public class KieReachability implements OutsideService {

    /** Beyond the REST client's own timeouts (and its one retry of a read that got no answer). */
    private static final Duration PROBE_WAIT = Duration.ofMinutes(2);

    private final KieClient kie;
    private final KieKeyPool keys;

    public KieReachability(KieClient kie, KieKeyPool keys) {
        this.kie = kie;
        this.keys = keys;
    }

    @Override
    public String name() {
        return "kie";
    }

    @Override
    public String probe() {
        String key = keys.anyKey().orElseThrow(() -> new IllegalStateException("no KIE API key configured"));
        long credits = kie.credits(key).await().atMost(PROBE_WAIT);
        return "reachable, key " + KieKeyPool.fingerprint(key) + " sees " + credits + " credits";
    }
}
