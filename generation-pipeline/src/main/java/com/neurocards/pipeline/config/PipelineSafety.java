package com.neurocards.pipeline.config;

import com.neurocards.messaging.safety.SafetyRule;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.messaging.safety.UnsafeSetting;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A callback endpoint reachable from the internet must only believe KIE: without the HMAC key, anyone who learns the
 * URL could declare a render finished (or failed, which refunds it) for any task (docs/security.md).
 */
@Singleton
public class PipelineSafety implements SafetyRule {

    private final PipelineConfig config;

    PipelineSafety(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public List<UnsafeSetting> check() {
        Optional<String> url = config.kie().callbackUrl().filter(value -> !value.isBlank());
        if (url.isPresent()
                && isPublic(url.get())
                && Secrets.missing(config.kie().webhookHmacKey())) {
            return List.of(new UnsafeSetting(
                    "KIE_WEBHOOK_HMAC_KEY",
                    "is empty while KIE_CALLBACK_URL is a public address",
                    "set the webhook HMAC key from KIE's settings page, or leave KIE_CALLBACK_URL empty to poll only"));
        }
        return List.of();
    }

    /**
     * Whether the URL's host may be reachable from outside this machine or network. Only a literal loopback,
     * private or link-local address, or {@code localhost}, counts as not public: a host name is judged public,
     * because what it resolves to can change after start-up.
     */
    static boolean isPublic(String url) {
        String host;
        try {
            host = URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return true;
        }
        if (host == null || host.isBlank()) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return false;
        }
        String literal = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        boolean ipLiteral = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") || literal.contains(":");
        if (!ipLiteral) {
            return true;
        }
        try {
            InetAddress address = InetAddress.getByName(literal); // a literal: parsed, never looked up
            return !(address.isLoopbackAddress()
                    || address.isSiteLocalAddress()
                    || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress());
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
