package com.neurocards.messaging.health;

import com.neurocards.messaging.broker.BrokerConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the AMQP connection is open (it recovers by itself after a broker restart, or onto another node of
 * a cluster); its data names the node in use.
 */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    private final BrokerConnection broker;

    public BrokerHealthCheck(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq")
                .status(broker.isOpen())
                .withData("node", broker.node())
                .build();
    }
}
