package com.neurocards.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.messaging.broker.Provenance;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.neurocards.testing.TestVhost;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing credits a {@code payment.received} only when the broker vouches it came from the gateway's broker user
 * (TRUSTED_PAYMENT_PUBLISHERS is this vhost's gateway user): no other service, and nobody without a user_id, can
 * mint credits by publishing one. The in-process billing connects as the broker admin, so a message the admin probe
 * stamps stands for billing's own copy (a retry or a dead letter it sent on). Every new user starts with 10.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
class PaymentPublishersTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    BillingTestSupport billing;
    /** Dead letters of billing.topup taken so far (other tests' too), by message id. */
    final List<GetResponse> deadLetters = new ArrayList<>();

    @BeforeEach
    void setUp() {
        billing = new BillingTestSupport(infra);
    }

    @Test
    void aPaymentPublishedByTheGatewaysUserIsCredited() throws Exception {
        long user = BillingTestSupport.newUser();
        Envelope<PaymentReceived> payment = payment(user);

        BrokerProbe gateway = infra.brokerAs(BrokerUser.GATEWAY);
        publish(gateway, gateway.stamped(payment.id().toString(), payment.type(), Map.of()), payment);

        await().atMost(Duration.ofSeconds(10)).until(() -> billing.balance(user) == 15);
        assertThat(billing.entries(user, "TOPUP")).isEqualTo(1);
    }

    @Test
    void aPaymentThePipelinesUserPublishesIsDeadLetteredNamingItAndNeverCredited() throws Exception {
        long user = BillingTestSupport.newUser();
        Envelope<PaymentReceived> payment = payment(user);
        BrokerProbe pipeline = infra.brokerAs(BrokerUser.PIPELINE);

        publish(pipeline, pipeline.stamped(payment.id().toString(), payment.type(), Map.of()), payment);

        GetResponse dead = awaitDeadLetter(payment);
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertThat(String.valueOf(headers.get(Headers.CAUSE))).contains(pipeline.user());
        assertThat(String.valueOf(headers.get(Headers.ERROR_CLASS))).isEqualTo("AUTH");
        assertThat(String.valueOf(headers.get(Headers.ATTEMPT)))
                .as("refused at once, not retried")
                .isEqualTo("1");
        assertNeverCredited(user);
    }

    @Test
    void aRefundThePipelinesUserPublishesTakesNothingBack() throws Exception {
        long user = BillingTestSupport.newUser();
        Envelope<PaymentReceived> payment = payment(user);
        BrokerProbe gateway = infra.brokerAs(BrokerUser.GATEWAY);
        publish(gateway, gateway.stamped(payment.id().toString(), payment.type(), Map.of()), payment);
        await().atMost(Duration.ofSeconds(10)).until(() -> billing.balance(user) == 15);

        PaymentReceived paid = payment.payload();
        Envelope<PaymentRefunded> refund = Envelope.of(new PaymentRefunded(
                paid.chargeId(),
                paid.userId(),
                paid.chatId(),
                paid.locale(),
                paid.packId(),
                paid.stars(),
                paid.credits()));
        BrokerProbe pipeline = infra.brokerAs(BrokerUser.PIPELINE);
        publish(pipeline, pipeline.stamped(refund.id().toString(), refund.type(), Map.of()), refund);

        GetResponse dead = awaitDeadLetter(refund);
        assertThat(String.valueOf(dead.getProps().getHeaders().get(Headers.ERROR_CLASS)))
                .isEqualTo("AUTH");
        assertThat(billing.balance(user)).isEqualTo(15);
        assertThat(billing.entries(user, "CHARGEBACK")).isZero();
    }

    @Test
    void thePipelinesUserCannotPassAPaymentOffAsTheGatewaysTheBrokerRefusesIt() throws Exception {
        long user = BillingTestSupport.newUser();
        Envelope<PaymentReceived> payment = payment(user);
        TestVhost.BrokerCredentials credentials = infra.vhost().user(BrokerUser.PIPELINE);

        try (BrokerProbe pipeline = new BrokerProbe(infra.vhost().name(), credentials.user(), credentials.password())) {
            AMQP.BasicProperties forged = BrokerProbe.json(payment.id().toString(), payment.type(), Map.of())
                    .builder()
                    .userId(infra.vhost().userName(BrokerUser.GATEWAY))
                    .build();
            assertThatThrownBy(() -> publish(pipeline, forged, payment))
                    .hasStackTraceContaining("PRECONDITION_FAILED")
                    .hasStackTraceContaining("user_id");
        }
        assertNeverCredited(user);
    }

    @Test
    void aPaymentWithoutUserIdIsRefused() throws Exception {
        long user = BillingTestSupport.newUser();
        Envelope<PaymentReceived> payment = payment(user);

        publish(infra.broker(), BrokerProbe.json(payment.id().toString(), payment.type(), Map.of()), payment);

        assertThat(String.valueOf(
                        awaitDeadLetter(payment).getProps().getHeaders().get(Headers.CAUSE)))
                .contains("no user_id");
        assertNeverCredited(user);
    }

    @Test
    void billingsOwnCopyOfAGatewayPaymentIsCreditedAndOfAnyOtherIsNot() throws Exception {
        long fromGateway = BillingTestSupport.newUser();
        long fromPipeline = BillingTestSupport.newUser();
        Envelope<PaymentReceived> retried = payment(fromGateway);
        Envelope<PaymentReceived> laundered = payment(fromPipeline);
        BrokerProbe own = infra.broker();

        // what billing sends on after a failure: published as itself, naming whom the broker vouched for first
        publish(
                own,
                own.stamped(
                        retried.id().toString(),
                        retried.type(),
                        Map.of(Provenance.ORIGINAL_PUBLISHER, infra.vhost().userName(BrokerUser.GATEWAY))),
                retried);
        publish(
                own,
                own.stamped(
                        laundered.id().toString(),
                        laundered.type(),
                        Map.of(Provenance.ORIGINAL_PUBLISHER, infra.vhost().userName(BrokerUser.PIPELINE))),
                laundered);

        await().atMost(Duration.ofSeconds(10)).until(() -> billing.balance(fromGateway) == 15);
        awaitDeadLetter(laundered);
        assertNeverCredited(fromPipeline);
    }

    private static Envelope<PaymentReceived> payment(long user) {
        return Envelope.of(BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 5));
    }

    private static void publish(BrokerProbe probe, AMQP.BasicProperties properties, Envelope<?> payment) {
        probe.publish(Topology.EXCHANGE, payment.eventType().routingKey(), properties, EventCodec.encode(payment));
    }

    private GetResponse awaitDeadLetter(Envelope<?> payment) {
        String id = payment.id().toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            deadLetters.addAll(infra.broker().drain(QueueName.BILLING_TOPUP.dlq()));
            return deadLetters.stream().anyMatch(m -> id.equals(m.getProps().getMessageId()));
        });
        return deadLetters.stream()
                .filter(m -> id.equals(m.getProps().getMessageId()))
                .findFirst()
                .orElseThrow();
    }

    /** Not credited, and not later: a genuine payment published after it has been credited by then. */
    private void assertNeverCredited(long user) throws Exception {
        long witness = BillingTestSupport.newUser();
        Envelope<PaymentReceived> genuine = payment(witness);
        BrokerProbe gateway = infra.brokerAs(BrokerUser.GATEWAY);
        publish(gateway, gateway.stamped(genuine.id().toString(), genuine.type(), Map.of()), genuine);
        await().atMost(Duration.ofSeconds(10)).until(() -> billing.balance(witness) == 15);

        assertThat(billing.entries(user, "TOPUP")).isZero();
        assertThat(billing.balance(user)).as("no account was even opened").isEqualTo(-1);
    }
}
