package com.neurocards.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a Quarkus test class a RabbitMQ vhost and a PostgreSQL database of its own on the local services, and points
 * the application at them through the variables of README.md#configuration. Fields annotated
 * {@link InjectInfrastructure} receive the {@link TestInfrastructure} handle for assertions.
 */
public class LocalInfrastructure implements QuarkusTestResourceLifecycleManager {

    private TestInfrastructure infrastructure;

    @Override
    public Map<String, String> start() {
        infrastructure = TestInfrastructure.create();
        return infrastructure.environment();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                infrastructure,
                new TestInjector.AnnotatedAndMatchesType(InjectInfrastructure.class, TestInfrastructure.class));
    }

    @Override
    public void stop() {
        if (infrastructure != null) {
            infrastructure.close();
        }
    }
}
