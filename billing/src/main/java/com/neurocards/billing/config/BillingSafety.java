package com.neurocards.billing.config;

import com.neurocards.messaging.safety.SafetyRule;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.messaging.safety.UnsafeSetting;
import jakarta.inject.Singleton;
import java.util.List;

/** Billing's internal API mints credits: production needs a strong token for it (docs/security.md). */
@Singleton
public class BillingSafety implements SafetyRule {

    private final BillingConfig config;

    BillingSafety(BillingConfig config) {
        this.config = config;
    }

    @Override
    public List<UnsafeSetting> check() {
        if (Secrets.missing(config.internalToken())) {
            return List.of(new UnsafeSetting(
                    "BILLING_INTERNAL_TOKEN",
                    "is empty, so billing's internal API (grants, balances) would have no key",
                    "set a random secret of at least " + Secrets.MIN_LENGTH
                            + " characters (openssl rand -hex 32), the same for billing and the gateway"));
        }
        if (!Secrets.strong(config.internalToken().get())) {
            return List.of(new UnsafeSetting(
                    "BILLING_INTERNAL_TOKEN",
                    "is too weak",
                    "set a random secret of at least " + Secrets.MIN_LENGTH + " characters (openssl rand -hex 32)"));
        }
        return List.of();
    }
}
