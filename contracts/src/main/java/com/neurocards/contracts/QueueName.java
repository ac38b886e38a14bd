package com.neurocards.contracts;

import static com.neurocards.contracts.EventType.CREDITS_ADDED;
import static com.neurocards.contracts.EventType.CREDITS_REFUNDED;
import static com.neurocards.contracts.EventType.GENERATION_DELIVERED;
import static com.neurocards.contracts.EventType.GENERATION_FAILED;
import static com.neurocards.contracts.EventType.GENERATION_FUNDED;
import static com.neurocards.contracts.EventType.GENERATION_REJECTED;
import static com.neurocards.contracts.EventType.GENERATION_REQUESTED;
import static com.neurocards.contracts.EventType.GENERATION_RETRYING;
import static com.neurocards.contracts.EventType.PAYMENT_RECEIVED;
import static com.neurocards.contracts.EventType.PAYMENT_REFUNDED;
import static com.neurocards.contracts.EventType.POLL_DUE;
import static com.neurocards.contracts.EventType.PROMPT_BUILT;
import static com.neurocards.contracts.EventType.VIDEO_READY;
import static com.neurocards.contracts.EventType.VIDEO_SUBMITTED;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every work queue: {@code <service>.<stage>}, durable and quorum, with a dead-letter queue {@code <name>.dlq}, and
 * the event types it is bound to. Each queue is also bound by its own name, so a retry or a re-drive can address
 * exactly one queue.
 */
public enum QueueName {
    BILLING_DEBIT("billing.debit", Stage.BILLING, List.of(GENERATION_REQUESTED)),
    BILLING_REFUND("billing.refund", Stage.BILLING, List.of(GENERATION_FAILED)),
    BILLING_TOPUP("billing.topup", Stage.BILLING, List.of(PAYMENT_RECEIVED, PAYMENT_REFUNDED)),
    /** Which funded jobs were delivered, so billing's refund backstop leaves them alone. */
    BILLING_DELIVERED("billing.delivered", Stage.BILLING, List.of(GENERATION_DELIVERED)),

    PIPELINE_PROMPT("pipeline.prompt", Stage.PROMPT, List.of(GENERATION_FUNDED)),
    PIPELINE_SUBMIT("pipeline.submit", Stage.SUBMIT, List.of(PROMPT_BUILT)),
    PIPELINE_POLL("pipeline.poll", Stage.POLL, List.of(VIDEO_SUBMITTED, POLL_DUE)),
    PIPELINE_DELIVER("pipeline.deliver", Stage.DELIVER, List.of(VIDEO_READY)),
    PIPELINE_NOTIFY(
            "pipeline.notify",
            Stage.NOTIFY,
            List.of(
                    GENERATION_FUNDED,
                    GENERATION_REJECTED,
                    GENERATION_RETRYING,
                    GENERATION_FAILED,
                    CREDITS_REFUNDED,
                    GENERATION_DELIVERED,
                    CREDITS_ADDED)),
    /**
     * Every message that crosses the broker, for the event journal: bound to {@code #} on {@link Topology#EXCHANGE}
     * (events, retries and re-drives coming back by a queue's name) and to every other queue's name on
     * {@link Topology#DEAD_LETTER_EXCHANGE} (dead letters). See {@link #bindingKeys()} and {@link #deadLetterBindingKeys()}.
     */
    PIPELINE_JOURNAL("pipeline.journal", Stage.JOURNAL, List.of(EventType.values())),

    /** What the gateway keeps a view of: job statuses for "My videos", balances for the menu. */
    GATEWAY_UPDATES(
            "gateway.updates",
            Stage.GATEWAY,
            List.of(
                    GENERATION_FUNDED,
                    GENERATION_REJECTED,
                    GENERATION_DELIVERED,
                    GENERATION_FAILED,
                    CREDITS_REFUNDED,
                    CREDITS_ADDED));

    /** A topic binding that matches every routing key. */
    public static final String ALL_ROUTING_KEYS = "#";

    private final String queueName;
    private final Stage stage;
    private final List<EventType> eventTypes;

    QueueName(String queueName, Stage stage, List<EventType> eventTypes) {
        this.queueName = queueName;
        this.stage = stage;
        this.eventTypes = List.copyOf(eventTypes);
    }

    /** The stage that consumes this queue. */
    public Stage stage() {
        return stage;
    }

    /** The queue's name on the broker. */
    public String queueName() {
        return queueName;
    }

    /** Its dead-letter queue. */
    public String dlq() {
        return Topology.dlqOf(queueName);
    }

    /** The event types routed to it. */
    public List<EventType> eventTypes() {
        return eventTypes;
    }

    /**
     * The routing keys it is bound with on {@link Topology#EXCHANGE}: its event types, and its own name (the
     * address retries and re-drives use).
     */
    public List<String> bindingKeys() {
        if (this == PIPELINE_JOURNAL) {
            return List.of(ALL_ROUTING_KEYS);
        }
        List<String> keys =
                new ArrayList<>(eventTypes.stream().map(EventType::routingKey).toList());
        keys.add(queueName);
        return List.copyOf(keys);
    }

    /**
     * The routing keys it is bound with on {@link Topology#DEAD_LETTER_EXCHANGE} besides its own DLQ's: for the
     * journal, every other queue's name, so it sees every dead letter; for the others, none.
     */
    public List<String> deadLetterBindingKeys() {
        if (this != PIPELINE_JOURNAL) {
            return List.of();
        }
        // not its own name: the journal's own dead letters must not come back to it
        return Arrays.stream(values())
                .filter(q -> q != PIPELINE_JOURNAL)
                .map(QueueName::queueName)
                .toList();
    }

    public static QueueName fromQueueName(String name) {
        for (QueueName queue : values()) {
            if (queue.queueName.equals(name) || queue.dlq().equals(name)) {
                return queue;
            }
        }
        throw new IllegalArgumentException("Unknown queue '" + name + "'");
    }

    @Override
    public String toString() {
        return queueName;
    }
}
