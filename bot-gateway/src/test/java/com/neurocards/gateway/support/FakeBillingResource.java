package com.neurocards.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs a {@link FakeBilling} for a test class and points the gateway at it ({@code BILLING_URL}, its token). */
public class FakeBillingResource implements QuarkusTestResourceLifecycleManager {

    private FakeBilling billing;

    @Override
    public Map<String, String> start() {
        billing = new FakeBilling();
        return Map.of(
                "BILLING_URL",
                billing.url(),
                "BILLING_INTERNAL_TOKEN",
                FakeBilling.TOKEN,
                "ADMIN_USER_IDS",
                String.valueOf(GatewayTestSupport.ADMIN_ID));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                billing, new TestInjector.AnnotatedAndMatchesType(InjectFakeBilling.class, FakeBilling.class));
    }

    @Override
    public void stop() {
        if (billing != null) {
            billing.close();
        }
    }
}
