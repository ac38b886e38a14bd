package com.neurocards.gateway.config;

import com.neurocards.messaging.safety.SafetyRule;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.messaging.safety.UnsafeSetting;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The gateway's own settings that production cannot run without: a webhook only Telegram can call, and the token of
 * billing's internal API (docs/security.md).
 */
@Singleton
public class GatewaySafety implements SafetyRule {

    /** Telegram's rule for {@code secret_token}: 1–256 characters of A–Z, a–z, 0–9, _ and -. */
    private static final Pattern TELEGRAM_SECRET_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final GatewayConfig config;

    GatewaySafety(GatewayConfig config) {
        this.config = config;
    }

    @Override
    public List<UnsafeSetting> check() {
        List<UnsafeSetting> findings = new ArrayList<>();
        if (config.mode() == GatewayConfig.Mode.WEBHOOK) {
            String secret = config.webhook().secret().orElse("");
            if (!Secrets.strong(secret)
                    || !TELEGRAM_SECRET_TOKEN.matcher(secret).matches()) {
                findings.add(new UnsafeSetting(
                        "TELEGRAM_WEBHOOK_SECRET",
                        secret.isBlank()
                                ? "is empty in webhook mode"
                                : "is too weak or has characters Telegram refuses",
                        "set " + Secrets.MIN_LENGTH + " to 256 random characters of A-Z, a-z, 0-9, _ and -"
                                + " (openssl rand -hex 32)"));
            }
        }
        if (Secrets.missing(config.billing().internalToken())) {
            findings.add(new UnsafeSetting(
                    "BILLING_INTERNAL_TOKEN",
                    "is empty, so billing would refuse every balance the menu asks for",
                    "set the same secret as billing's BILLING_INTERNAL_TOKEN"));
        }
        return findings;
    }
}
