package com.neurocards.messaging.broker;

import com.neurocards.messaging.MessagingConfig;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

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
            try {
                connection = factory.newConnection(config.serviceName());
            } catch (IOException | TimeoutException e) {
                throw new IllegalStateException("Cannot connect to RabbitMQ at " + broker.host() + ":" + broker.port()
                        + " vhost '" + broker.virtualHost() + "': " + e.getMessage(), e);
            }
            LOG.infof("Connected to RabbitMQ %s:%d vhost '%s'", broker.host(), broker.port(), broker.virtualHost());
        }
        return connection;
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
