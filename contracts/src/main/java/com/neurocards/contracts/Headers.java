package com.neurocards.contracts;

/** AMQP header names, read by code and by operators in the RabbitMQ console. */
public final class Headers {

    /** The request a message belongs to. */
    public static final String REQUEST_ID = "x-request-id";
    /** The job a message is about, when it is about one. */
    public static final String JOB_ID = "x-job-id";
    /** How many times this message has been tried by the queue it is addressed to (1 = first try). */
    public static final String ATTEMPT = "x-attempt";
    /** How many times our own infrastructure trouble (database restarting) sent this message round again. */
    public static final String INFRASTRUCTURE_ATTEMPT = "x-infrastructure-attempt";
    /** How many times this message went round a delay tier because what it needs was busy (a Telegram chat). */
    public static final String PACING_ROUND = "x-pacing-round";
    /**
     * Which delay tier queue a delayed message waits in ({@link DelayTier#label()}). No {@code x-} prefix: a headers
     * exchange ignores headers starting with {@code x-} when it matches, and this one is matched on.
     */
    public static final String DELAY_TIER = "delay-tier";

    /** On dead letters: the {@link ErrorClass} of the last failure. */
    public static final String ERROR_CLASS = "x-error-class";
    /** On dead letters: what went wrong, in one line (exception type and message, secrets removed). */
    public static final String CAUSE = "x-cause";
    /** On dead letters: the {@link Stage} that gave up. */
    public static final String STAGE = "x-stage";
    /** On dead letters: the queue the message was taken from, where a re-drive sends it back. */
    public static final String ORIGINAL_QUEUE = "x-original-queue";
    /** On dead letters: the routing key the message was first published with. */
    public static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";
    /** On dead letters: when the consumer gave up (ISO-8601). */
    public static final String FAILED_AT = "x-failed-at";

    /** On messages re-driven from a DLQ ({@code neurocards dlq requeue}): when (ISO-8601). */
    public static final String REDRIVEN_AT = "x-redriven-at";

    /** On replayed messages: the message id of the message this one replays. */
    public static final String REPLAY_OF = "x-replay-of";

    /** W3C trace context, carried so that one request is one trace across services. */
    public static final String TRACEPARENT = "traceparent";

    private Headers() {}
}
