package com.neurocards.messaging.broker;

import com.neurocards.contracts.BrokerAddresses;
import com.neurocards.messaging.MessagingConfig;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>With {@code RABBITMQ_ADDRESSES} the client is given every node of the cluster: it connects to one of them (the
 * client shuffles the list at every attempt, so instances spread over the nodes) and, when that node goes, recovers
 * onto another one that is running (docs/decisions/0019-rabbitmq-cluster-addresses.md). The log names the node in
 * use; never the password.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

    /** The start of every stage consumer's tag: consumers the client's recovery leaves to {@code QueueConsumers}. */
    public static final String STAGE_CONSUMER_TAG = "stage:";

    private final MessagingConfig config;
    private final List<Address> addresses;
    private final List<Runnable> whenReconnected = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private ExecutorService consumerPool;

    public BrokerConnection(MessagingConfig config) {
        this.config = config;
        MessagingConfig.Broker broker = config.broker();
        this.addresses = BrokerAddresses.of(broker.addresses().orElse(null), broker.host(), broker.port()).stream()
                .map(node -> new Address(node.host(), node.port()))
                .toList();
    }

    public synchronized Connection connection() {
        if (connection == null) {
            ConnectionFactory factory = new ConnectionFactory();
            MessagingConfig.Broker broker = config.broker();
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
            LOG.infof(
                    "Connected to RabbitMQ %s vhost '%s'%s",
                    connectedTo(connection),
                    broker.virtualHost(),
                    addresses.size() > 1 ? " (cluster nodes " + describe(addresses) + ")" : "");
            if (connection instanceof Recoverable recoverable) {
                recoverable.addRecoveryListener(new RecoveryListener() {
                    @Override
                    public void handleRecoveryStarted(Recoverable lost) {
                        LOG.warnf("Lost the RabbitMQ connection; reconnecting to one of %s", describe(addresses));
                    }

                    @Override
                    public void handleRecovery(Recoverable recovered) {
                        LOG.infof("Reconnected to RabbitMQ %s", connectedTo((Connection) recovered));
                        for (Runnable listener : whenReconnected) {
                            try {
                                listener.run();
                            } catch (RuntimeException e) {
                                LOG.warnf("After reconnecting to RabbitMQ: %s", e.toString());
                            }
                        }
                    }
                });
            }
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
                return factory.newConnection(addresses, config.serviceName());
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    MessagingConfig.Broker broker = config.broker();
                    throw new IllegalStateException(
                            "Cannot connect to RabbitMQ at " + describe(addresses) + " vhost '" + broker.virtualHost()
                                    + "': " + e.getMessage(),
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

    /** The node this service is connected to now, as {@code host:port}; empty while not connected. */
    public String node() {
        Connection current = connection;
        return current != null && current.isOpen() ? connectedTo(current) : "";
    }

    private static String connectedTo(Connection connection) {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    private static String describe(List<Address> addresses) {
        return String.join(
                ",",
                addresses.stream().map(a -> a.getHost() + ":" + a.getPort()).toList());
    }

    /**
     * Runs {@code listener} (briefly, on the client's recovery thread) each time the connection is back after a loss,
     * so whatever waits for it (the outbox relay, consumers to subscribe again) goes on at once rather than at its
     * next try: a connection that keeps being lost may be up only for moments, and retries on a fixed period can keep
     * missing them.
     */
    public void whenReconnected(Runnable listener) {
        whenReconnected.add(listener);
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
