package com.neurocards.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopologyTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeHasARoutingKeyAndAtLeastOneConsumerBesideTheJournal(EventType type) {
        assertThat(type.routingKey()).isEqualTo(type.typeName()).matches("[a-z]+(\\.[a-z]+)+");
        assertThat(Arrays.stream(QueueName.values())
                        .filter(queue -> queue != QueueName.PIPELINE_JOURNAL)
                        .filter(queue -> queue.eventTypes().contains(type)))
                .as("queues that consume %s", type)
                .isNotEmpty();
    }

    @Test
    void theJournalReceivesEveryEventType() {
        assertThat(QueueName.PIPELINE_JOURNAL.eventTypes()).containsExactlyInAnyOrder(EventType.values());
    }

    @ParameterizedTest
    @EnumSource(QueueName.class)
    void queuesAreNamedServiceDotStageWithADlqAndAreAddressableByName(QueueName queue) {
        assertThat(queue.queueName()).matches("(billing|pipeline|gateway)\\.[a-z-]+");
        assertThat(queue.dlq()).isEqualTo(queue.queueName() + ".dlq");
        assertThat(queue.bindingKeys()).containsAnyOf(queue.queueName(), QueueName.ALL_ROUTING_KEYS);
        assertThat(QueueName.fromQueueName(queue.dlq())).isEqualTo(queue);
    }

    @Test
    void theJournalSeesEveryRoutingKeyAndEveryOtherQueuesDeadLetters() {
        assertThat(QueueName.PIPELINE_JOURNAL.bindingKeys()).containsExactly("#");
        assertThat(QueueName.PIPELINE_JOURNAL.deadLetterBindingKeys())
                .contains(QueueName.PIPELINE_SUBMIT.queueName(), QueueName.BILLING_DEBIT.queueName())
                .doesNotContain(QueueName.PIPELINE_JOURNAL.queueName())
                .hasSize(QueueName.values().length - 1);
        assertThat(QueueName.PIPELINE_SUBMIT.deadLetterBindingKeys()).isEmpty();
    }

    @Test
    void queueNamesNeverCollideWithEventRoutingKeys() {
        Set<String> routingKeys =
                Arrays.stream(EventType.values()).map(EventType::routingKey).collect(Collectors.toSet());
        Set<String> queueNames =
                Arrays.stream(QueueName.values()).map(QueueName::queueName).collect(Collectors.toSet());
        Set<String> both = new HashSet<>(routingKeys);
        both.retainAll(queueNames);
        assertThat(both)
                .as("a retry addressed to a queue must not reach the event's other consumers")
                .isEmpty();
    }

    @Test
    void delayTiersGrowAndArePickedByTheWaitTheyCover() {
        assertThat(DelayTier.values()).extracting(DelayTier::delay).isSorted();
        assertThat(DelayTier.SECONDS_15.queueName()).isEqualTo("neurocards.delay.15s");
        assertThat(DelayTier.atLeast(Duration.ofSeconds(1))).isEqualTo(DelayTier.SECONDS_5);
        assertThat(DelayTier.atLeast(Duration.ofSeconds(15))).isEqualTo(DelayTier.SECONDS_15);
        assertThat(DelayTier.atLeast(Duration.ofSeconds(16))).isEqualTo(DelayTier.SECONDS_30);
        assertThat(DelayTier.atLeast(Duration.ofMinutes(10))).isEqualTo(DelayTier.SECONDS_60);
        assertThat(DelayTier.forRetry(1)).isEqualTo(DelayTier.SECONDS_5);
        assertThat(DelayTier.forRetry(2)).isEqualTo(DelayTier.SECONDS_15);
        assertThat(DelayTier.forRetry(9)).isEqualTo(DelayTier.SECONDS_60);
    }
}
