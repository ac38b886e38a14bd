package com.neurocards.billing;

import com.neurocards.testing.HealthAssertions;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(InternalToken.class)
class BillingHealthTest {

    @Test
    void startsConnectedToTheBrokerAndTheDatabaseAndReportsReady() {
        HealthAssertions.assertReadyWithBrokerAndDatabase();
    }
}
