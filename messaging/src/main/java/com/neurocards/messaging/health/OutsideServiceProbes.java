package com.neurocards.messaging.health;

import com.neurocards.contracts.Redaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Probes every {@link OutsideService} in the background every {@code neurocards.health.outside-services.interval}
 * (30 s unless a service's application.properties says otherwise; the first probe at start-up) and keeps the last
 * answer, so a health request costs nothing and never waits on a slow provider. Also exported as
 * {@code neurocards_outside_service_up{service}} (1 up, 0 down) for alerting.
 */
@ApplicationScoped
public class OutsideServiceProbes {

    private static final Logger LOG = Logger.getLogger(OutsideServiceProbes.class);

    /** The last probe of one service. */
    public record Result(boolean up, String detail, Instant checkedAt) {}

    private final List<OutsideService> services = new ArrayList<>();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public OutsideServiceProbes(@Any Instance<OutsideService> services, MeterRegistry registry) {
        services.forEach(this.services::add);
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        for (OutsideService service : services) {
            Gauge.builder(
                            "neurocards.outside.service.up",
                            results,
                            r -> r.containsKey(service.name())
                                            && r.get(service.name()).up()
                                    ? 1
                                    : 0)
                    .description("1 when the last probe reached the outside service, 0 when it did not")
                    .tag("service", service.name())
                    .register(registry);
        }
    }

    /**
     * Probes every service now (also what the schedule runs). Probes block on the network, so the scheduler runs them
     * on a worker thread; a slow round is never overlapped by the next one.
     */
    @Scheduled(
            identity = "outside-service-probes",
            every = "${neurocards.health.outside-services.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void probeAll() {
        for (OutsideService service : services) {
            Result previous = results.get(service.name());
            Result now;
            try {
                now = new Result(true, Redaction.redact(service.probe()), Instant.now());
            } catch (Exception | LinkageError e) {
                now = new Result(false, Redaction.describe(e), Instant.now());
            }
            results.put(service.name(), now);
            if (previous == null || previous.up() != now.up()) {
                if (now.up()) {
                    LOG.infof("Outside service %s is reachable (%s)", service.name(), now.detail());
                } else {
                    LOG.warnf("Outside service %s is DOWN: %s", service.name(), now.detail());
                }
            }
        }
    }

    /** Name → last result, in probe order; services not probed yet are absent. */
    public Map<String, Result> results() {
        Map<String, Result> ordered = new LinkedHashMap<>();
        for (OutsideService service : services) {
            Result result = results.get(service.name());
            if (result != null) {
                ordered.put(service.name(), result);
            }
        }
        return ordered;
    }

    public List<String> names() {
        return services.stream().map(OutsideService::name).toList();
    }
}
