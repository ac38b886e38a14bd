package com.neurocards.messaging.broker;

import com.neurocards.messaging.MessagingConfig;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes with publisher confirms: a call returns only when the broker has taken responsibility for every message
 * (written to the quorum queues it routes to), and throws otherwise. Messages are persistent, JSON, and carry
 * {@code message_id}, {@code type} and our headers, so they read well in the console, and {@code user_id}, the broker
 * user this service connects as, which the broker verifies and consumers trust ({@link Provenance}). Blocking: call it from a
 * worker thread.
 */
@ApplicationScoped
public class ConfirmingPublisher {

    private static final Logger LOG = Logger.getLogger(ConfirmingPublisher.class);
    private static final String CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private final BrokerConnection broker;
    private final MessagingConfig config;
    private final BlockingQueue<Channel> idle;
    private final Counter unroutable;

    public ConfirmingPublisher(BrokerConnection broker, MessagingConfig config, MeterRegistry registry) {
        this.broker = broker;
        this.config = config;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, config.broker().publisherChannels()));
        this.unroutable = Counter.builder("neurocards.messages.unroutable")
                .description("Messages the broker could route to no queue (a topology bug)")
                .register(registry);
    }

    /** See {@link BrokerConnection#whenReconnected}. */
    public void whenReconnected(Runnable listener) {
        broker.whenReconnected(listener);
    }

    public void publish(OutgoingMessage message) throws IOException {
        publish(List.of(message));
    }

    /** Publishes all, then waits for the broker to confirm all. */
    public void publish(List<OutgoingMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        Channel channel = borrow();
        boolean healthy = false;
        try {
            for (OutgoingMessage message : messages) {
                channel.basicPublish(
                        message.exchange(), message.routingKey(), true, properties(message), message.body());
            }
            channel.waitForConfirmsOrDie(config.broker().confirmTimeout().toMillis());
            healthy = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for publisher confirms", e);
        } catch (TimeoutException e) {
            throw new IOException(
                    "The broker did not confirm " + messages.size() + " message(s) in "
                            + config.broker().confirmTimeout(),
                    e);
        } finally {
            giveBack(channel, healthy);
        }
    }

    private AMQP.BasicProperties properties(OutgoingMessage message) {
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .contentEncoding("utf-8")
                .deliveryMode(PERSISTENT)
                .messageId(message.messageId())
                .type(message.type())
                .appId(config.serviceName())
                // the broker checks it against this connection's user; consumers decide by it whom to believe
                .userId(config.broker().username())
                .timestamp(new Date())
                .headers(message.headers())
                .build();
    }

    private Channel borrow() throws IOException {
        Channel channel = idle.poll();
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        channel = broker.connection().createChannel();
        channel.confirmSelect();
        channel.addReturnListener(returned -> {
            unroutable.increment();
            LOG.errorf(
                    "Unroutable message %s to exchange '%s' with routing key '%s' (%s): no queue is bound",
                    returned.getProperties().getMessageId(),
                    returned.getExchange(),
                    returned.getRoutingKey(),
                    returned.getReplyText());
        });
        return channel;
    }

    private void giveBack(Channel channel, boolean healthy) {
        if (healthy && channel.isOpen() && idle.offer(channel)) {
            return;
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("Closing a publisher channel: %s", e.toString());
        }
    }

    /** Closes idle channels (the connection's owner closes the rest). */
    public void close() {
        Channel channel;
        while ((channel = idle.poll()) != null) {
            giveBack(channel, false);
        }
    }
}
