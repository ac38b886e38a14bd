package com.neurocards.messaging.consumer;

import com.neurocards.contracts.QueueName;
import com.rabbitmq.client.Channel;

/** The channel a stage consumes on now, for the tests that make the broker close it. */
public final class StageChannels {

    private StageChannels() {}

    public static Channel of(QueueConsumers consumers, QueueName queue) {
        return consumers.channelOf(queue);
    }
}
