package com.neurocards.contracts.event;

/**
 * A payload that travels inside an {@link Envelope}. Every event type (docs/architecture.md#events) is one of these
 * records.
 */
public sealed interface Event
        permits GenerationRequested,
                GenerationFunded,
                GenerationRejected,
                PromptBuilt,
                VideoSubmitted,
                PollDue,
                VideoReady,
                GenerationRetrying,
                GenerationFailed,
                CreditsRefunded,
                GenerationDelivered,
                PaymentReceived,
                PaymentRefunded,
                CreditsAdded {

    /** The request this event belongs to; for events outside a generation, the key that groups them. */
    String correlationId();

    /** The job this event is about, or {@code null}. */
    default String jobId() {
        return null;
    }
}
