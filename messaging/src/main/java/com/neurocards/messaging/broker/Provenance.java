package com.neurocards.messaging.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who published a message, as far as the broker vouches for it. RabbitMQ refuses a message whose {@code user_id}
 * differs from the user of the connection that published it ({@code ConfirmingPublisher} always sets it), so
 * {@code user_id} names the service that sent it. A service that sends a received message on — through a delay tier,
 * or to a DLQ — publishes it as itself, and records the original publisher in {@link #ORIGINAL_PUBLISHER}; that
 * header is believed only on a message that this service's own user published, since only it could have set it.
 */
public final class Provenance {

    /** The user_id a message had when this service first received it, on the copies it sends on. */
    public static final String ORIGINAL_PUBLISHER = "x-original-publisher";

    private Provenance() {}

    /**
     * The broker user that published the message first, or {@code null} when nobody vouches for one (no
     * {@code user_id}, or this service's own copy without the header).
     *
     * @param userId  the message's {@code user_id} property
     * @param headers its headers
     * @param ownUser the broker user this service connects as
     */
    public static String publisherOf(String userId, Map<String, Object> headers, String ownUser) {
        if (userId == null || userId.isEmpty()) {
            return null;
        }
        if (userId.equals(ownUser)) {
            Object original = headers.get(ORIGINAL_PUBLISHER);
            return original == null ? null : original.toString();
        }
        return userId;
    }

    /**
     * The headers to send a received message on with: its own, with {@link #ORIGINAL_PUBLISHER} set to the publisher
     * the broker vouched for (and removed when there was none, so a forged header never travels on as ours).
     */
    public static Map<String, Object> forwarded(Map<String, Object> headers, String publisher) {
        Map<String, Object> copy = new LinkedHashMap<>(headers);
        if (publisher == null) {
            copy.remove(ORIGINAL_PUBLISHER);
        } else {
            copy.put(ORIGINAL_PUBLISHER, publisher);
        }
        return copy;
    }
}
