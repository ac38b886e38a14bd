package com.neurocards.messaging.consumer;

import com.neurocards.contracts.Headers;
import com.neurocards.messaging.broker.AmqpHeaders;
import java.util.Map;

/**
 * How far a message has come, as its headers count it.
 *
 * @param attempt              {@code x-attempt}: 1 on the first try; each retry adds one
 * @param pacingRounds         {@code x-pacing-round}: waits taken because what it needs was busy (attempt kept)
 * @param infrastructureRounds {@code x-infrastructure-attempt}: waits taken for our own infrastructure trouble
 */
public record Tries(int attempt, int pacingRounds, int infrastructureRounds) {

    public static Tries of(Map<String, Object> headers) {
        return new Tries(
                AmqpHeaders.intValue(headers, Headers.ATTEMPT, 1),
                AmqpHeaders.intValue(headers, Headers.PACING_ROUND, 0),
                AmqpHeaders.intValue(headers, Headers.INFRASTRUCTURE_ATTEMPT, 0));
    }
}
