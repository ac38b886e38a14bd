package com.neurocards.messaging.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outside services as {@code /q/health} and {@code /q/health/ready} show them: always UP — a KIE or Telegram
 * outage must not make Kubernetes take our pods out of service or restart them — with each service's state in the
 * data ({@code "kie": "DOWN: ..."}), so operators see it. Their real status is the check group
 * {@link OutsideServicesGroupCheck} ({@code /q/health/group/outside-services}) and the gauge
 * {@code neurocards_outside_service_up}.
 */
@Readiness
@ApplicationScoped
public class OutsideServicesHealthCheck implements HealthCheck {

    static final String NAME = "outside-services";

    private final OutsideServiceProbes probes;

    public OutsideServicesHealthCheck(OutsideServiceProbes probes) {
        this.probes = probes;
    }

    @Override
    public HealthCheckResponse call() {
        return describe(probes, HealthCheckResponse.named(NAME).up());
    }

    static HealthCheckResponse describe(OutsideServiceProbes probes, HealthCheckResponseBuilder builder) {
        Map<String, OutsideServiceProbes.Result> results = probes.results();
        for (String name : probes.names()) {
            OutsideServiceProbes.Result result = results.get(name);
            builder.withData(
                    name,
                    result == null
                            ? "UNKNOWN: not probed yet"
                            : (result.up() ? "UP: " : "DOWN: ") + result.detail() + " (checked " + result.checkedAt()
                                    + ")");
        }
        return builder.build();
    }
}
