package com.neurocards.messaging.broker;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Declares the whole topology of {@link Topology} — exchanges, work queues, their dead-letter queues and the delay
 * tiers — exactly as {@code contracts} describes it. Declaring is idempotent, and every service declares everything,
 * so an event published before its consumers ever started still has a queue to wait in.
 *
 * <p>Queue arguments cannot change on an existing queue (the broker refuses an inequivalent re-declaration):
 * changing one here needs a migration of the live queue, not just a deploy.
 */
@ApplicationScoped
public class TopologyDeclarer {

    private static final Logger LOG = Logger.getLogger(TopologyDeclarer.class);

    /**
     * A message delivered this many times without an ack (a consumer that crashes the process on it, again and again)
     * is dead-lettered by the broker itself. Our consumers ack every message they can read, so this is the last net.
     */
    static final int DELIVERY_LIMIT = 10;

    private final BrokerConnection broker;

    public TopologyDeclarer(BrokerConnection broker) {
        this.broker = broker;
    }

    public void declare() {
        try (Channel channel = broker.openChannel()) {
            declare(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot declare the broker topology: " + e.getMessage(), e);
        }
    }

    public static void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(Topology.EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(Topology.DELAY_EXCHANGE, BuiltinExchangeType.HEADERS, true);
        channel.exchangeDeclare(Topology.DEAD_LETTER_EXCHANGE, BuiltinExchangeType.DIRECT, true);

        for (DelayTier tier : DelayTier.values()) {
            channel.queueDeclare(tier.queueName(), true, false, false, delayQueueArguments(tier));
            channel.queueBind(
                    tier.queueName(),
                    Topology.DELAY_EXCHANGE,
                    "",
                    Map.of("x-match", "all", Headers.DELAY_TIER, tier.label()));
        }
        for (QueueName queue : QueueName.values()) {
            channel.queueDeclare(queue.dlq(), true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind(queue.dlq(), Topology.DEAD_LETTER_EXCHANGE, queue.queueName());

            channel.queueDeclare(queue.queueName(), true, false, false, workQueueArguments(queue));
            for (String key : queue.bindingKeys()) {
                channel.queueBind(queue.queueName(), Topology.EXCHANGE, key);
            }
            for (String key : queue.deadLetterBindingKeys()) {
                channel.queueBind(queue.queueName(), Topology.DEAD_LETTER_EXCHANGE, key);
            }
        }
        LOG.debugf("Declared %d work queues and %d delay tiers", QueueName.values().length, DelayTier.values().length);
    }

    /** A work queue: quorum (replicated, durable), poison messages to its own DLQ. */
    public static Map<String, Object> workQueueArguments(QueueName queue) {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-queue-type", "quorum");
        arguments.put("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE);
        arguments.put("x-dead-letter-routing-key", queue.queueName());
        arguments.put("x-delivery-limit", DELIVERY_LIMIT);
        arguments.put("x-dead-letter-strategy", "at-least-once");
        arguments.put("x-overflow", "reject-publish");
        return arguments;
    }

    /**
     * A delay tier: every message waits the tier's TTL, then is dead-lettered back to the main exchange with the
     * routing key it came with. At-least-once dead-lettering (RabbitMQ 3.10+) so a broker crash mid-move loses nothing.
     */
    public static Map<String, Object> delayQueueArguments(DelayTier tier) {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-queue-type", "quorum");
        arguments.put("x-message-ttl", tier.delay().toMillis());
        arguments.put("x-dead-letter-exchange", Topology.EXCHANGE);
        arguments.put("x-dead-letter-strategy", "at-least-once");
        arguments.put("x-overflow", "reject-publish");
        return arguments;
    }
}
