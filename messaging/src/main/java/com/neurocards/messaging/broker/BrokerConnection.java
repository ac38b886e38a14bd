package com.neurocards.messaging.broker;

import com.neurocards.messaging.MessagingConfig;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The service's one AMQP connection (RabbitMQ's own Java client), with automatic recovery: after a broker restart or
 * a cut connection the client opens the connection and its channels again (the publisher's confirming channels with
 * it). It does not re-declare the topology: that is durable, and a queue the broker did lose is declared again by
 * its stage before it consumes again.
 *
 * <p>The client recovers consumers only after a whole-connection loss, never after a channel the broker closed or a
 * consumer it cancelled. So the stages' consumers (consumer tags starting with {@link #STAGE_CONSUMER_TAG}) are left
 * out of the client's recovery and re-subscribed by {@code QueueConsumers} after every kind of loss, one path for all;
 * other consumers (the pipeline's journal) are recovered by the client.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

    /** The start of every stage consumer's tag: consumers the client's recovery leaves to {@code QueueConsumers}. */
    public static final String STAGE_CONSUMER_TAG = "stage:";

    private final MessagingConfig config;
    private volatile Connection connection;
    private ExecutorService consumerPool;

    public BrokerConnection(MessagingConfig config) {
        this.config = config;
    }

    public synchronized Connection connection() {
        if (connection == null) {
            ConnectionFactory factory = new ConnectionFactory();
            MessagingConfig.Broker broker = config.broker();
            factory.setHost(broker.host());
            factory.setPort(broker.port());
            factory.setUsername(broker.username());
            factory.setPassword(broker.password());
            factory.setVirtualHost(broker.virtualHost());
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setTopologyRecoveryFilter(new TopologyRecoveryFilter() {
                // The topology is durable and survives what the client recovers from; the client would re-declare it
                // on the closed channels that declared it at start-up, and fail loudly. A lost queue is declared
                // again by its consumer (QueueConsumers), exchanges and delay tiers with it.
                @Override
                public boolean filterExchange(RecordedExchange exchange) {
                    return false;
                }

                @Override
                public boolean filterQueue(RecordedQueue queue) {
                    return false;
                }

                @Override
                public boolean filterBinding(RecordedBinding binding) {
                    return false;
                }

                @Override
                public boolean filterConsumer(RecordedConsumer consumer) {
                    return !consumer.getConsumerTag().startsWith(STAGE_CONSUMER_TAG);
                }
            });
            factory.setNetworkRecoveryInterval(2000);
            factory.setRequestedHeartbeat(15);
            factory.setConnectionTimeout(10_000);
            // Deliveries are handed straight to asynchronous handlers, so a small pool is enough.
            consumerPool = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "amqp-consumer");
                thread.setDaemon(true);
                return thread;
            });
            factory.setSharedExecutor(consumerPool);
            connection = connectWithin(factory, broker.startupTimeout());
            LOG.infof("Connected to RabbitMQ %s:%d vhost '%s'", broker.host(), broker.port(), broker.virtualHost());
        }
        return connection;
    }

    /**
     * Automatic recovery only covers connections that were once open, so the first one is retried here for a while:
     * a service started together with the broker waits for it instead of failing.
     */
    private Connection connectWithin(ConnectionFactory factory, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return factory.newConnection(config.serviceName());
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    MessagingConfig.Broker broker = config.broker();
                    throw new IllegalStateException(
                            "Cannot connect to RabbitMQ at " + broker.host() + ":" + broker.port() + " vhost '"
                                    + broker.virtualHost() + "': " + e.getMessage(),
                            e);
                }
                LOG.warnf("RabbitMQ is not reachable yet (%s); trying again", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while connecting to RabbitMQ", interrupted);
                }
            }
        }
    }

    public Channel openChannel() {
        try {
            return connection().createChannel();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open an AMQP channel", e);
        }
    }

    public boolean isOpen() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close(5_000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the AMQP connection: %s", e.toString());
            }
            connection = null;
        }
        if (consumerPool != null) {
            consumerPool.shutdown();
            consumerPool = null;
        }
    }
}
