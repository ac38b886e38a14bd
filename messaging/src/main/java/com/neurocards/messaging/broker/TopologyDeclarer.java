package com.neurocards.messaging.broker;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.consumer.StageConsumer;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Declares the topology of {@link Topology} — exchanges, work queues, their dead-letter queues and the delay tiers —
 * exactly as {@code contracts} describes it. Declaring is idempotent. How much a service declares is its
 * {@link TopologyScope}: by default the exchanges, the delay tiers and the queues its own stages consume, which is
 * what its own broker user may configure; the other queues come from the broker definitions or their own services,
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
    private final Instance<StageConsumer> stages;

    public TopologyDeclarer(BrokerConnection broker, @Any Instance<StageConsumer> stages) {
        this.broker = broker;
        this.stages = stages;
    }

    /**
     * Declares what {@code scope} covers. The queues of {@link TopologyScope#OWN} are this service's: every
     * {@code <service>.*} queue of a service one of whose stages runs here (so the pipeline's journal, consumed
     * outside the stages, is declared with the pipeline's stages) — exactly the queues its broker user owns.
     */
    public void declare(TopologyScope scope) {
        if (scope == TopologyScope.NONE) {
            return;
        }
        Set<QueueName> queues = scope == TopologyScope.ALL ? EnumSet.allOf(QueueName.class) : ownQueues();
        try (Channel channel = broker.openChannel()) {
            declare(channel, queues);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(
                    "Cannot declare the broker topology (" + scope + "): " + e.getMessage()
                            + "; the broker user needs configure rights on it (docs/decisions/0011-broker-users.md)",
                    e);
        }
    }

    /**
     * Declares one work queue again, with its DLQ, its bindings and the exchanges they need, when the broker lost it
     * (an operator deleted it): what a consumer does before it subscribes again. Nothing when {@code scope} is
     * {@link TopologyScope#NONE} (the broker definitions own the topology; the consumer waits for the queue).
     *
     * @return whether it declared anything
     */
    public boolean redeclare(QueueName queue, TopologyScope scope) throws IOException {
        if (scope == TopologyScope.NONE) {
            return false;
        }
        try (Channel channel = broker.openChannel()) {
            declare(channel, EnumSet.of(queue));
        } catch (TimeoutException e) {
            throw new IOException("Closing the channel that declared " + queue + " timed out", e);
        }
        return true;
    }

    private Set<QueueName> ownQueues() {
        Set<String> services = new HashSet<>();
        for (StageConsumer stage : stages) {
            services.add(serviceOf(stage.queue()));
        }
        Set<QueueName> queues = EnumSet.noneOf(QueueName.class);
        for (QueueName queue : QueueName.values()) {
            if (services.contains(serviceOf(queue))) {
                queues.add(queue);
            }
        }
        return queues;
    }

    /** {@code billing} of {@code billing.topup}: queues are named {@code <service>.<stage>}. */
    private static String serviceOf(QueueName queue) {
        String name = queue.queueName();
        return name.substring(0, name.indexOf('.'));
    }

    /** Declares everything. */
    public static void declare(Channel channel) throws IOException {
        declare(channel, EnumSet.allOf(QueueName.class));
    }

    /** Declares the exchanges, the delay tiers and {@code queues} with their DLQs and bindings. */
    public static void declare(Channel channel, Set<QueueName> queues) throws IOException {
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
        for (QueueName queue : queues) {
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
        LOG.debugf("Declared %d work queues and %d delay tiers", queues.size(), DelayTier.values().length);
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
