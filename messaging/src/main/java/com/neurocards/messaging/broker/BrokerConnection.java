package com.neurocards.messaging.broker;

import com.neurocards.messaging.MessagingConfig;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The service's one AMQP connection (RabbitMQ's own Java client), with automatic recovery: after a broker restart
 * the connection, its channels and its consumers come back by themselves.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

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
