package com.neurocards.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** A test's own view of the broker: publish raw messages, count and take messages from queues. */
public final class BrokerProbe implements AutoCloseable {

    private final String user;
    private final Connection connection;
    private final Channel channel;

    /** As the broker admin of the local services. */
    public BrokerProbe(String vhost) {
        this(vhost, LocalServices.rabbitUser(), LocalServices.rabbitPassword());
    }

    /** As {@code user}, with that user's rights only. */
    public BrokerProbe(String vhost, String user, String password) {
        this(BrokerEndpoint.local(), vhost, user, password);
    }

    /** As {@code user} on {@code broker} (connected to one of its nodes). */
    public BrokerProbe(BrokerEndpoint broker, String vhost, String user, String password) {
        this.user = user;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        try {
            connection = factory.newConnection(broker.amqpAddresses(), "test-probe");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to RabbitMQ vhost " + vhost, e);
        }
    }

    /** Publishes and waits for the broker's confirm. */
    public synchronized void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        try {
            channel.basicPublish(exchange, routingKey, properties, body);
            channel.waitForConfirmsOrDie(10_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The broker user this probe connects as. */
    public String user() {
        return user;
    }

    /** Like {@link #json}, with this probe's user as {@code user_id}, as a service's {@code ConfirmingPublisher} sets it. */
    public AMQP.BasicProperties stamped(String messageId, String type, Map<String, Object> headers) {
        return json(messageId, type, headers).builder().userId(user).build();
    }

    public static AMQP.BasicProperties json(String messageId, String type, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(messageId)
                .type(type)
                .headers(headers)
                .build();
    }

    public synchronized long messageCount(String queue) {
        try {
            return channel.messageCount(queue);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes (and acks) the next message of a queue, or {@code null} when it is empty. */
    public synchronized GetResponse take(String queue) {
        try {
            return channel.basicGet(queue, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes messages until the queue is empty. */
    public List<GetResponse> drain(String queue) {
        List<GetResponse> all = new ArrayList<>();
        GetResponse response;
        while ((response = take(queue)) != null) {
            all.add(response);
        }
        return all;
    }

    /** Waits up to {@code timeout} for a message on {@code queue} and takes it. */
    public GetResponse await(String queue, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse response = take(queue);
            if (response != null) {
                return response;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }

    public synchronized void purge(String queue) {
        try {
            channel.queuePurge(queue);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            // closing after a test; nothing to do
        }
    }
}
