package com.neurocards.messaging.safety;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fails closed: a service started in production (the packaged jar, Quarkus' {@code prod} profile) with an unsafe
 * setting stops before it consumes a message or answers a request, with one line per finding naming the variable and
 * what to set. Dev and test profiles only log the findings, so {@code mvn quarkus:dev} and {@code @QuarkusTest}s need
 * no secrets; the local run command and the tests that start the packaged jars generate per-run secrets instead
 * (docs/security.md).
 */
@Singleton
public class ProductionSafety {

    private static final Logger LOG = Logger.getLogger(ProductionSafety.class);

    private final Instance<SafetyRule> rules;

    ProductionSafety(Instance<SafetyRule> rules) {
        this.rules = rules;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<UnsafeSetting> findings = findings();
        if (findings.isEmpty()) {
            return;
        }
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            findings.forEach(
                    f -> LOG.warnf("Unsafe for production (allowed in %s): %s", LaunchMode.current(), f.line()));
            return;
        }
        findings.forEach(f -> LOG.error(f.line()));
        throw new UnsafeConfigurationException(findings);
    }

    /** Every finding of every rule of this service. */
    public List<UnsafeSetting> findings() {
        List<UnsafeSetting> findings = new ArrayList<>();
        for (SafetyRule rule : rules) {
            findings.addAll(rule.check());
        }
        return findings;
    }

    /** Stops the start; its message repeats the lines so the start-up failure shows them too. */
    public static final class UnsafeConfigurationException extends RuntimeException {
        UnsafeConfigurationException(List<UnsafeSetting> findings) {
            super(String.join("; ", findings.stream().map(UnsafeSetting::line).toList()), null, false, false);
        }
    }
}
