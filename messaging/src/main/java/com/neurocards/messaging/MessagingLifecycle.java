package com.neurocards.messaging;

import com.neurocards.messaging.broker.BrokerConnection;
import com.neurocards.messaging.broker.ConfirmingPublisher;
import com.neurocards.messaging.broker.TopologyDeclarer;
import com.neurocards.messaging.consumer.QueueConsumers;
import com.neurocards.messaging.observe.JobContextDecorator;
import com.neurocards.messaging.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;

/**
 * Brings messaging up in the only safe order — connect, declare the topology, start the outbox relay, then start
 * consuming — and down in reverse, letting messages in flight finish so nothing is redelivered needlessly.
 */
@ApplicationScoped
public class MessagingLifecycle {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final MessagingConfig config;
    private final BrokerConnection broker;
    private final TopologyDeclarer topology;
    private final OutboxRelay relay;
    private final QueueConsumers consumers;
    private final ConfirmingPublisher publisher;

    public MessagingLifecycle(
            MessagingConfig config,
            BrokerConnection broker,
            TopologyDeclarer topology,
            OutboxRelay relay,
            QueueConsumers consumers,
            ConfirmingPublisher publisher) {
        this.config = config;
        this.broker = broker;
        this.topology = topology;
        this.relay = relay;
        this.consumers = consumers;
        this.publisher = publisher;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 100) StartupEvent event) {
        JobContextDecorator.install();
        broker.connection();
        topology.declare(config.broker().declareTopology());
        if (config.relay().enabled()) {
            relay.start();
        }
        if (config.consumers().enabled()) {
            consumers.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        consumers.stop(SHUTDOWN_GRACE);
        relay.stop();
        publisher.close();
        broker.close();
    }
}
