package com.neurocards.contracts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The broker users of the system, one per service plus one for operators, and what each may touch, in one place:
 * the broker definitions ({@code TopologyDefinitions}), {@code infra/local}'s scripts (through the generated
 * {@code infra/rabbitmq/broker-users.tsv}) and the tests' vhosts all take the permissions from here.
 *
 * <p>A service may configure, write and read the shared exchanges, the delay tiers (declaring a queue that
 * dead-letters needs read on it, and every service retries through them) and its own queues ({@code <service>.*}
 * with their DLQs) — nothing else, so it can neither consume, purge nor redeclare another service's queue. Publishing
 * is not narrowed by routing key: what a message may cause is decided by its consumer from the {@code user_id} the
 * broker vouches for (billing credits {@code payment.received} only from the gateway's user). The operator (the CLI
 * and ops tools) may do anything in the vhost, and is an {@code impersonator}, so a DLQ re-drive keeps the
 * {@code user_id} of the message it sends again.
 */
public enum BrokerUser {
    GATEWAY("neurocards-gateway", "gateway"),
    BILLING("neurocards-billing", "billing"),
    PIPELINE("neurocards-pipeline", "pipeline"),
    /** The CLI and ops tools: re-drives, replays, inspection. */
    OPERATOR("neurocards-operator", null);

    /** Everything in the vhost. */
    private static final String EVERYTHING = ".*";

    private final String defaultName;
    private final String queuePrefix;

    BrokerUser(String defaultName, String queuePrefix) {
        this.defaultName = defaultName;
        this.queuePrefix = queuePrefix;
    }

    /** The user name in the broker definitions and {@code up.sh}; tests and {@code run.sh} use names of their own. */
    public String defaultName() {
        return defaultName;
    }

    /** The role's short name: {@code gateway}, {@code billing}, {@code pipeline}, {@code operator}. */
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The service users (everything but the operator). */
    public static List<BrokerUser> services() {
        return Arrays.stream(values()).filter(user -> user != OPERATOR).toList();
    }

    /** The queues this user's service consumes (none for the operator, who owns none but may touch all). */
    public List<QueueName> ownQueues() {
        if (queuePrefix == null) {
            return List.of();
        }
        return Arrays.stream(QueueName.values())
                .filter(queue -> queue.queueName().startsWith(queuePrefix + "."))
                .toList();
    }

    /** Regex over exchange and queue names this user may declare, delete and bind to (RabbitMQ "configure"). */
    public String configure() {
        return resources();
    }

    /** Regex over exchanges this user may publish to and queues it may bind (RabbitMQ "write"). */
    public String write() {
        return resources();
    }

    /** Regex over queues this user may consume, get and purge, and exchanges it may bind from (RabbitMQ "read"). */
    public String read() {
        return resources();
    }

    /** The broker's user tags: none for a service; the operator forges nothing but keeps re-driven messages' user_id. */
    public Set<String> tags() {
        return this == OPERATOR ? Set.of("impersonator", "management") : Set.of();
    }

    private String resources() {
        if (queuePrefix == null) {
            return EVERYTHING;
        }
        return "^(" + quoted(Topology.EXCHANGE)
                + "|" + quoted(Topology.DELAY_EXCHANGE)
                + "|" + quoted(Topology.DEAD_LETTER_EXCHANGE)
                + "|" + quoted(Topology.DELAY_EXCHANGE + ".") + "[0-9]+s"
                + "|" + quoted(queuePrefix + ".") + ".+"
                + ")$";
    }

    /** A literal name as a regex: dots escaped (our names have no other special characters). */
    private static String quoted(String literal) {
        return literal.replace(".", "\\.");
    }
}
