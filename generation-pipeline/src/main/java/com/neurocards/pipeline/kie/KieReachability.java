package com.neurocards.pipeline.kie;

import com.neurocards.messaging.health.OutsideService;
import jakarta.enterprise.context.ApplicationScoped;

/** KIE as a health probe: the credit balance with one key (cheap, no task created, not rate-limited like creates). */
@ApplicationScoped
public class KieReachability implements OutsideService {

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
        long credits = kie.credits(key);
        return "reachable, key " + KieKeyPool.fingerprint(key) + " sees " + credits + " credits";
    }
}
