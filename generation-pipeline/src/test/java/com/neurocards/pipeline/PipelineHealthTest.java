package com.neurocards.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.testing.HealthAssertions;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
class PipelineHealthTest {

    @Inject
    Scheduler scheduler;

    @Test
    void startsConnectedToTheBrokerAndTheDatabaseAndReportsReady() {
        HealthAssertions.assertReadyWithBrokerAndDatabase();
    }

    @Test
    void schedulesItsPeriodicWork() {
        assertThat(scheduler.getScheduledJobs())
                .extracting(Trigger::getId)
                .contains("job-sweeper", "journal-retention", "kie-credit-watch", "outside-service-probes");
    }
}
