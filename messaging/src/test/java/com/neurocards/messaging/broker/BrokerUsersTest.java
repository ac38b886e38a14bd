package com.neurocards.messaging.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.EventType;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.TestVhost;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The permissions of {@link BrokerUser} on a real broker: each service's user can declare and consume its own queues
 * and nothing of anyone else's, and cannot publish under another user's name.
 */
class BrokerUsersTest {

    static TestVhost vhost;

    @BeforeAll
    static void provision() throws Exception {
        vhost = TestVhost.create();
        // the whole topology, as the broker definitions provision it
        try (BrokerProbe admin = new BrokerProbe(vhost.name())) {
            TopologyDeclarer.declare(admin.channel());
        }
    }

    @AfterAll
    static void tearDown() {
        vhost.close();
    }

    @Test
    void eachServiceUserMayDeclareTheExchangesTheDelayTiersAndItsOwnQueues() throws Exception {
        for (BrokerUser user : BrokerUser.services()) {
            try (BrokerProbe probe = as(user)) {
                TopologyDeclarer.declare(probe.channel(), Set.copyOf(user.ownQueues()));
            }
        }
    }

    @Test
    void eachServiceUserIsDeniedConfigureAndReadOnEveryQueueItDoesNotOwn() throws Exception {
        for (BrokerUser user : BrokerUser.services()) {
            Set<QueueName> others = EnumSet.allOf(QueueName.class);
            user.ownQueues().forEach(others::remove);
            assertThat(others).isNotEmpty();
            try (BrokerProbe probe = as(user)) {
                for (QueueName queue : others) {
                    for (String name : new String[] {queue.queueName(), queue.dlq()}) {
                        assertRefused(probe, user, "configure " + name, channel -> channel.queueDelete(name));
                        assertRefused(
                                probe,
                                user,
                                "configure " + name,
                                channel -> channel.queueDeclare(
                                        name, true, false, false, Map.of("x-queue-type", "quorum")));
                        assertRefused(probe, user, "read " + name, channel -> channel.basicGet(name, true));
                        assertRefused(probe, user, "read " + name, channel -> channel.queuePurge(name));
                    }
                }
            }
        }
    }

    @Test
    void aServiceUserCannotPublishUnderAnotherUsersName() throws Exception {
        try (BrokerProbe pipeline = as(BrokerUser.PIPELINE)) {
            AMQP.BasicProperties forged = BrokerProbe.json(UUID.randomUUID().toString(), "payment.received", Map.of())
                    .builder()
                    .userId(vhost.userName(BrokerUser.GATEWAY))
                    .build();

            assertThatThrownBy(() -> pipeline.publish(
                            Topology.EXCHANGE,
                            EventType.PAYMENT_RECEIVED.routingKey(),
                            forged,
                            "{}".getBytes(StandardCharsets.UTF_8)))
                    .hasStackTraceContaining("PRECONDITION_FAILED")
                    .hasStackTraceContaining("user_id");
        }
        try (BrokerProbe admin = new BrokerProbe(vhost.name())) {
            assertThat(admin.messageCount(QueueName.BILLING_TOPUP.queueName())).isZero();
        }
    }

    @Test
    void theOperatorMayResendAMessageUnderTheUserItCameFrom() throws Exception {
        // a DLQ re-drive keeps the user_id the dead letter carries, so billing still knows who published it first
        String queue = QueueName.BILLING_TOPUP.queueName();
        try (BrokerProbe operator = as(BrokerUser.OPERATOR)) {
            operator.publish(
                    Topology.EXCHANGE,
                    queue,
                    BrokerProbe.json(UUID.randomUUID().toString(), "payment.received", Map.of())
                            .builder()
                            .userId(vhost.userName(BrokerUser.BILLING))
                            .build(),
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(operator.take(queue).getProps().getUserId()).isEqualTo(vhost.userName(BrokerUser.BILLING));
        }
    }

    private static BrokerProbe as(BrokerUser user) {
        TestVhost.BrokerCredentials credentials = vhost.user(user);
        return new BrokerProbe(vhost.name(), credentials.user(), credentials.password());
    }

    interface ChannelCall {
        void on(Channel channel) throws IOException;
    }

    /** The broker refuses the call with ACCESS_REFUSED (403), which closes the channel: each try gets a fresh one. */
    private static void assertRefused(BrokerProbe probe, BrokerUser user, String what, ChannelCall call)
            throws Exception {
        Channel channel = probe.channel().getConnection().createChannel();
        try {
            assertThatThrownBy(() -> call.on(channel))
                    .as("%s may not %s", user, what)
                    .hasStackTraceContaining("ACCESS_REFUSED");
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }
}
