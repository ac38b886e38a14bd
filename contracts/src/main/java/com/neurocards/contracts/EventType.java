package com.neurocards.contracts;

import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.contracts.event.VideoSubmitted;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type: its name (which is also its routing key on {@link Topology#EXCHANGE}), its current schema
 * version and its payload record.
 */
public enum EventType {
    GENERATION_REQUESTED("generation.requested", GenerationRequested.class),
    GENERATION_FUNDED("generation.funded", GenerationFunded.class),
    GENERATION_REJECTED("generation.rejected", GenerationRejected.class),
    PROMPT_BUILT("prompt.built", PromptBuilt.class),
    VIDEO_SUBMITTED("video.submitted", VideoSubmitted.class),
    POLL_DUE("poll.due", PollDue.class),
    VIDEO_READY("video.ready", VideoReady.class),
    GENERATION_RETRYING("generation.retrying", GenerationRetrying.class),
    GENERATION_FAILED("generation.failed", GenerationFailed.class),
    CREDITS_REFUNDED("credits.refunded", CreditsRefunded.class),
    GENERATION_DELIVERED("generation.delivered", GenerationDelivered.class),
    PAYMENT_RECEIVED("payment.received", PaymentReceived.class),
    PAYMENT_REFUNDED("payment.refunded", PaymentRefunded.class),
    CREDITS_ADDED("credits.added", CreditsAdded.class);

    /** Schema version every event is written with today; readers accept this one and older ones. */
    public static final int CURRENT_VERSION = 1;

    private static final Map<String, EventType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::payloadType, Function.identity()));

    private final String typeName;
    private final Class<? extends Event> payloadType;

    EventType(String typeName, Class<? extends Event> payloadType) {
        this.typeName = typeName;
        this.payloadType = payloadType;
    }

    public String typeName() {
        return typeName;
    }

    /** The routing key events of this type are published with. */
    public String routingKey() {
        return typeName;
    }

    public int version() {
        return CURRENT_VERSION;
    }

    public Class<? extends Event> payloadType() {
        return payloadType;
    }

    public static EventType of(Event event) {
        EventType type = BY_CLASS.get(event.getClass());
        if (type == null) {
            throw new IllegalArgumentException(
                    "No event type for " + event.getClass().getName());
        }
        return type;
    }

    /** @throws UnknownEventTypeException for a name no version of the system has used */
    public static EventType fromTypeName(String name) {
        EventType type = BY_NAME.get(name);
        if (type == null) {
            throw new UnknownEventTypeException(name);
        }
        return type;
    }

    public static boolean isKnown(String name) {
        return BY_NAME.containsKey(name);
    }

    @Override
    public String toString() {
        return typeName;
    }
}
