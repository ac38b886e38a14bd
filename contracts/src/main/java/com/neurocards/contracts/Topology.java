package com.neurocards.contracts;

/**
 * The broker's shape, in one place. Every exchange, queue and header name the system uses is here or in
 * {@link QueueName}, {@link DelayTier} and {@link Headers}; no other module writes them as strings.
 *
 * <pre>
 * neurocards        (topic)   events by type, e.g. generation.funded; also each queue by its own name,
 *                             which is how a retry or a re-drive reaches exactly one queue
 * neurocards.delay  (headers) delay-tier=15s → neurocards.delay.15s, a queue with a fixed TTL that
 *                             dead-letters back to neurocards with the routing key the message came with
 * neurocards.dlx    (direct)  &lt;queue&gt; → &lt;queue&gt;.dlq, the dead-letter queue of each work queue
 * </pre>
 */
public final class Topology {

    /** Events, routed by type. */
    public static final String EXCHANGE = "neurocards";
    /** Delayed messages, routed to a delay tier queue by the {@link Headers#DELAY_TIER} header. */
    public static final String DELAY_EXCHANGE = "neurocards.delay";
    /** Dead letters, routed by the name of the queue they died in. */
    public static final String DEAD_LETTER_EXCHANGE = "neurocards.dlx";

    /** Suffix of every work queue's dead-letter queue. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topology() {}

    /** The dead-letter queue of a work queue. */
    public static String dlqOf(String queue) {
        return queue + DLQ_SUFFIX;
    }
}
