package com.neurocards.messaging.health;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /q/health/group/outside-services}: DOWN (HTTP 503) while any outside service's last probe failed. For
 * dashboards and alerts, not for Kubernetes probes.
 */
@HealthGroup(OutsideServicesHealthCheck.NAME)
@ApplicationScoped
public class OutsideServicesGroupCheck implements HealthCheck {

    private final OutsideServiceProbes probes;

    public OutsideServicesGroupCheck(OutsideServiceProbes probes) {
        this.probes = probes;
    }

    @Override
    public HealthCheckResponse call() {
        boolean allUp = probes.results().values().stream().allMatch(OutsideServiceProbes.Result::up);
        return OutsideServicesHealthCheck.describe(
                probes,
                HealthCheckResponse.named(OutsideServicesHealthCheck.NAME).status(allUp));
    }
}
