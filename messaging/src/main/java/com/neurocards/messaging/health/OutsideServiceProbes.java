package com.neurocards.messaging.health;

import com.neurocards.contracts.Redaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes every {@link OutsideService} in the background every {@code neurocards.health.outside-services.interval}
 * and keeps the last answer, so a health request costs nothing and never waits on a slow provider. Also exported as
 * {@code neurocards_outside_service_up{service}} (1 up, 0 down) for alerting.
 */
@ApplicationScoped
public class OutsideServiceProbes {

    private static final Logger LOG = Logger.getLogger(OutsideServiceProbes.class);

    /** The last probe of one service. */
    public record Result(boolean up, String detail, Instant checkedAt) {
    }

    private final List<OutsideService> services = new ArrayList<>();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Duration interval;
    private final MeterRegistry registry;
    private ScheduledExecutorService scheduler;

    public OutsideServiceProbes(@Any Instance<OutsideService> services, MeterRegistry registry,
                                @ConfigProperty(name = "neurocards.health.outside-services.interval", defaultValue = "30s")
                                Duration interval) {
        services.forEach(this.services::add);
        this.interval = interval;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        for (OutsideService service : services) {
            Gauge.builder("neurocards.outside.service.up", results,
                            r -> r.containsKey(service.name()) && r.get(service.name()).up() ? 1 : 0)
                    .description("1 when the last probe reached the outside service, 0 when it did not")
                    .tag("service", service.name()).register(registry);
        }
        if (services.isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outside-service-probes");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Probes every service now (also what the schedule runs). */
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
