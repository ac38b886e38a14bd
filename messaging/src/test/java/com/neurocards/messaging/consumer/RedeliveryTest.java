package com.neurocards.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.messaging.broker.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The headers and routes a failed message is sent on with: through a delay tier back to its queue, or to its DLQ. */
class RedeliveryTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final OutgoingMessage received = Redelivery.received(
            "generation.requested",
            "m-1",
            "generation.requested",
            Map.of(
                    Headers.REQUEST_ID,
                    "r-1",
                    Headers.DELAY_TIER,
                    "15s",
                    "x-death",
                    List.of(Map.of("count", 1)),
                    "x-first-death-queue",
                    "neurocards.delay.15s",
                    "x-last-death-reason",
                    "expired"),
            BODY);

    @Test
    void aReceivedMessageKeepsItsHeadersButNotWhatTheBrokerAddedOnTheWay() {
        assertThat(received.headers()).containsOnlyKeys(Headers.REQUEST_ID);
        assertThat(received.exchange()).isEqualTo(Topology.EXCHANGE);
        assertThat(Redelivery.received("k", null, null, Map.of(), BODY))
                .extracting(OutgoingMessage::messageId, OutgoingMessage::type)
                .containsExactly("unknown", "unknown");
    }

    @Test
    void aRetryGoesThroughItsDelayTierBackToItsOwnQueueOnlyWithTheNextAttempt() {
        OutgoingMessage retry = Redelivery.throughDelayTier(
                received.withHeaders(Map.of(Headers.PACING_ROUND, 3)),
                QueueName.PIPELINE_SUBMIT,
                2,
                DelayTier.SECONDS_30);

        assertThat(retry.exchange()).isEqualTo(Topology.DELAY_EXCHANGE);
        assertThat(retry.routingKey()).isEqualTo(QueueName.PIPELINE_SUBMIT.queueName());
        assertThat(retry.headers())
                .containsEntry(Headers.DELAY_TIER, "30s")
                .containsEntry(Headers.ATTEMPT, 2)
                .containsEntry(Headers.PACING_ROUND, 3)
                .containsEntry(Headers.REQUEST_ID, "r-1")
                .containsEntry(Headers.ORIGINAL_ROUTING_KEY, "generation.requested");
        assertThat(retry.messageId()).isEqualTo("m-1");
        assertThat(retry.body()).isEqualTo(BODY);

        OutgoingMessage again = Redelivery.throughDelayTier(
                Redelivery.received(
                        QueueName.PIPELINE_SUBMIT.queueName(), "m-1", "generation.requested", retry.headers(), BODY),
                QueueName.PIPELINE_SUBMIT,
                3,
                DelayTier.SECONDS_60);
        assertThat(again.headers())
                .as("the first routing key is kept")
                .containsEntry(Headers.ORIGINAL_ROUTING_KEY, "generation.requested")
                .containsEntry(Headers.DELAY_TIER, "60s");
    }

    @Test
    void aDeadLetterGoesToItsQueuesDlqWithTheCauseInHeaders() {
        Instant failedAt = Instant.parse("2025-01-02T03:04:05Z");

        OutgoingMessage dead = Redelivery.deadLetter(
                received,
                QueueName.BILLING_DEBIT,
                3,
                ErrorClass.TEMPORARY,
                "StageException: KIE answered 500",
                failedAt);

        assertThat(dead.exchange()).isEqualTo(Topology.DEAD_LETTER_EXCHANGE);
        assertThat(dead.routingKey()).isEqualTo(QueueName.BILLING_DEBIT.queueName());
        assertThat(dead.headers())
                .containsEntry(Headers.ATTEMPT, 3)
                .containsEntry(Headers.ERROR_CLASS, "TEMPORARY")
                .containsEntry(Headers.CAUSE, "StageException: KIE answered 500")
                .containsEntry(Headers.STAGE, "BILLING")
                .containsEntry(Headers.ORIGINAL_QUEUE, "billing.debit")
                .containsEntry(Headers.ORIGINAL_ROUTING_KEY, "generation.requested")
                .containsEntry(Headers.FAILED_AT, "2025-01-02T03:04:05Z")
                .containsEntry(Headers.REQUEST_ID, "r-1");
    }
}
