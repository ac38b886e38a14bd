package com.neurocards.cli;

import com.neurocards.contracts.BrokerAddresses;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** The CLI's broker connection: a confirming channel for republishing, manual acks for taking messages. */
final class Broker implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    /** Connects to the first of {@code nodes} that answers (a cluster's nodes, or the one broker). */
    Broker(List<BrokerAddresses.Node> nodes, String user, String password, String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        factory.setAutomaticRecoveryEnabled(false);
        try {
            connection = factory.newConnection(
                    nodes.stream()
                            .map(node -> new Address(node.host(), node.port()))
                            .toList(),
                    "neurocards-cli");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot connect to RabbitMQ at " + BrokerAddresses.describe(nodes) + " vhost '" + vhost + "': "
                            + e.getMessage(),
                    e);
        }
    }

    /** Messages in a queue, or -1 when the queue does not exist. */
    long messageCount(String queue) {
        try (Channel probe = connection.createChannel()) {
            return probe.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            return -1;
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes up to {@code limit} messages without acking them: they stay the broker's until {@link #ack} or
     * {@link #giveBack}. Closing the connection gives back whatever was not acked.
     */
    List<GetResponse> takeUnacked(String queue, int limit) throws IOException {
        List<GetResponse> taken = new ArrayList<>();
        GetResponse response;
        while (taken.size() < limit && (response = channel.basicGet(queue, false)) != null) {
            taken.add(response);
        }
        return taken;
    }

    void ack(GetResponse message) throws IOException {
        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
    }

    void giveBack(GetResponse message) throws IOException {
        channel.basicNack(message.getEnvelope().getDeliveryTag(), false, true);
    }

    /** Publishes and waits for the broker's confirm. */
    void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        channel.basicPublish(exchange, routingKey, true, properties, body);
        try {
            channel.waitForConfirmsOrDie(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker's confirm", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm in 10 s", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            // closing at exit; unacked messages return to their queue either way
        }
    }
}
