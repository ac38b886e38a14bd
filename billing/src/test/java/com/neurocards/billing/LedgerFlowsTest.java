package com.neurocards.billing;

import static com.neurocards.billing.InternalToken.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.neurocards.billing.stage.RefundBackstop;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.CreditSource;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three money flows end to end through the broker, and billing's internal API. Every new user starts with 10. */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(InternalToken.class)
class LedgerFlowsTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    BillingTestSupport billing;

    @Inject
    RefundBackstop backstop;

    @BeforeEach
    void setUp() {
        billing = new BillingTestSupport(infra);
    }

    @Test
    void aRequestIsDebitedOnceAndItsJobsAreAnnounced() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested request = BillingTestSupport.request(user, 3);

        billing.publish(Envelope.of(request));

        GenerationFunded funded =
                awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        assertThat(funded.jobIds())
                .containsExactly(request.requestId() + "-1", request.requestId() + "-2", request.requestId() + "-3");
        assertThat(funded.creditsDebited()).isEqualTo(3);
        assertThat(funded.balanceAfter()).isEqualTo(7);
        assertThat(funded.request()).isEqualTo(request);
        assertThat(billing.balance(user)).isEqualTo(7);
        assertThat(billing.entries(user, "WELCOME")).isEqualTo(1);
        assertThat(billing.entries(user, "DEBIT")).isEqualTo(1);
        assertThat(billing.broker().drain(QueueName.PIPELINE_PROMPT.queueName()))
                .as("the prompt stage hears of it, with the request id in a header")
                .anyMatch(m -> request.requestId()
                        .equals(String.valueOf(m.getProps().getHeaders().get(Headers.REQUEST_ID))));
    }

    @Test
    void aRequestTheBalanceDoesNotCoverIsRejectedAndNothingIsDebited() throws Exception {
        long user = BillingTestSupport.newUser();
        billing.publish(Envelope.of(BillingTestSupport.request(user, 5)));
        awaitOne(GenerationFunded.class, f -> f.request().userId() == user);
        GenerationRequested tooMuch = BillingTestSupport.request(user, 10);

        billing.publish(Envelope.of(tooMuch));

        GenerationRejected rejected =
                awaitOne(GenerationRejected.class, r -> r.requestId().equals(tooMuch.requestId()));
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDITS);
        assertThat(rejected.balance()).isEqualTo(5);
        assertThat(rejected.needed()).isEqualTo(10);
        assertThat(billing.balance(user)).isEqualTo(5);
        assertThat(billing.entries(user, "DEBIT")).isEqualTo(1);
    }

    @Test
    void aRequestBillingCannotPriceIsRejectedAsInvalid() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested none = BillingTestSupport.request(user, 0);

        billing.publish(Envelope.of(none));

        GenerationRejected rejected =
                awaitOne(GenerationRejected.class, r -> r.requestId().equals(none.requestId()));
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_REQUEST);
        assertThat(billing.balance(user)).isEqualTo(10);
    }

    @Test
    void eachModelIsChargedItsOwnPriceAndAFailedVideoRefundsExactlyWhatItCost() throws Exception {
        // prices in the test profile: veo3_fast 1, veo3 3, sora-2-image-to-video 2 (the defaults)
        long user = BillingTestSupport.newUser();
        GenerationRequested quality = BillingTestSupport.request(user, 2, "veo3");
        GenerationRequested sora = BillingTestSupport.request(user, 1, "sora-2-image-to-video");

        billing.publish(Envelope.of(quality));
        GenerationFunded qualityFunded =
                awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(quality.requestId()));
        billing.publish(Envelope.of(sora));
        GenerationFunded soraFunded =
                awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(sora.requestId()));
        billing.publish(Envelope.of(BillingTestSupport.failure(quality, 2)));
        CreditsRefunded refunded = awaitOne(
                CreditsRefunded.class,
                r -> r.job().jobId().equals(quality.job(2).jobId()));

        assertThat(qualityFunded.creditsDebited()).isEqualTo(6);
        assertThat(qualityFunded.balanceAfter()).isEqualTo(4);
        assertThat(soraFunded.creditsDebited()).isEqualTo(2);
        assertThat(soraFunded.balanceAfter()).isEqualTo(2);
        assertThat(refunded.amount()).as("one Quality video's price back").isEqualTo(3);
        assertThat(refunded.balanceAfter()).isEqualTo(5);
        assertThat(billing.balance(user)).isEqualTo(5);
    }

    @Test
    void aModelBillingDoesNotPriceIsRejectedAsInvalidAndNothingIsDebited() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested unknown = BillingTestSupport.request(user, 1, "veo9_ultra");

        billing.publish(Envelope.of(unknown));

        GenerationRejected rejected =
                awaitOne(GenerationRejected.class, r -> r.requestId().equals(unknown.requestId()));
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_REQUEST);
        assertThat(billing.entries(user, "DEBIT")).isZero();
    }

    @Test
    void theSameRequestTwiceDebitsOnceAndPublishesOneOutcome() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested request = BillingTestSupport.request(user, 2);
        Envelope<GenerationRequested> first = Envelope.of(request);

        billing.publish(first);
        billing.publish(first); // broker redelivery: same message id
        billing.publish(Envelope.of(request)); // the gateway published it again: new message id, same request

        awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        await().atMost(Duration.ofSeconds(10)).until(() -> billing.ignored(request.requestId()) == 1);
        assertThat(billing.heard(GenerationFunded.class))
                .filteredOn(f -> f.request().userId() == user)
                .hasSize(1);
        assertThat(billing.heard(GenerationRejected.class))
                .filteredOn(r -> r.userId() == user)
                .isEmpty();
        assertThat(billing.entries(user, "DEBIT")).isEqualTo(1);
        assertThat(billing.balance(user)).isEqualTo(8);
    }

    @Test
    void aFailedJobIsRefundedExactlyOnceAndFailuresOfUnfundedJobsChangeNothing() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested request = BillingTestSupport.request(user, 3);
        billing.publish(Envelope.of(request));
        awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        GenerationFailed failure = BillingTestSupport.failure(request, 2);

        billing.publish(Envelope.of(failure));
        billing.publish(Envelope.of(failure)); // a second failure event for the same job
        GenerationRequested neverFunded = BillingTestSupport.request(user, 1);
        billing.publish(Envelope.of(BillingTestSupport.failure(neverFunded, 1)));

        CreditsRefunded refunded = awaitOne(
                CreditsRefunded.class, r -> r.job().jobId().equals(failure.job().jobId()));
        assertThat(refunded.amount()).isEqualTo(1);
        assertThat(refunded.balanceAfter()).isEqualTo(8);
        assertThat(refunded.errorClass()).isEqualTo(failure.errorClass());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> billing.ignored(failure.job().jobId()) == 1
                        && billing.ignored(neverFunded.job(1).jobId()) == 1);
        assertThat(billing.heard(CreditsRefunded.class))
                .filteredOn(r -> r.job().userId() == user)
                .hasSize(1);
        assertThat(billing.entries(user, "REFUND")).isEqualTo(1);
        assertThat(billing.balance(user)).isEqualTo(8);
    }

    @Test
    void theRefundBackstopRefundsAForgottenJobOnceAndLeavesDeliveredAndRefundedJobsAlone() throws Exception {
        long user = BillingTestSupport.newUser();
        GenerationRequested request = BillingTestSupport.request(user, 3);
        billing.publish(Envelope.of(request));
        awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        // job 1 delivered, job 2 failed and refunded the usual way, job 3 lost without a word
        billing.publish(Envelope.of(new GenerationDelivered(request.job(1), 7, "file-1", DeliveryMode.VIDEO)));
        billing.publish(Envelope.of(BillingTestSupport.failure(request, 2)));
        awaitOne(
                CreditsRefunded.class,
                r -> r.job().jobId().equals(request.job(2).jobId()));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> billing.delivered(request.job(1).jobId()));

        assertThat(backstop.run().await().atMost(Duration.ofSeconds(30)))
                .as("nothing is refunded before its time")
                .doesNotContain(request.job(3).jobId());
        billing.fundedLongAgo(request.requestId(), Duration.ofHours(3));

        // two instances' runs side by side, then one more
        List<List<String>> runs = Uni.join()
                .all(backstop.run(), backstop.run())
                .andFailFast()
                .await()
                .atMost(Duration.ofSeconds(30));
        List<String> again = backstop.run().await().atMost(Duration.ofSeconds(30));

        assertThat(runs.stream().flatMap(List::stream).toList())
                .containsExactly(request.job(3).jobId());
        assertThat(again).isEmpty();
        CreditsRefunded refunded = awaitOne(
                CreditsRefunded.class,
                r -> r.job().jobId().equals(request.job(3).jobId()));
        assertThat(refunded.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(refunded.amount()).isEqualTo(1);
        assertThat(refunded.job().chatId()).isEqualTo(request.chatId());
        assertThat(refunded.job().locale()).isEqualTo(request.locale());
        assertThat(refunded.job().index()).isEqualTo(3);
        assertThat(refunded.job().total()).isEqualTo(3);
        assertThat(billing.entries(user, "REFUND")).isEqualTo(2);
        assertThat(billing.balance(user)).isEqualTo(9);
        // a failure the pipeline reports later changes nothing: the job is refunded already
        billing.publish(Envelope.of(BillingTestSupport.failure(request, 3)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> billing.ignored(request.job(3).jobId()) == 1);
        assertThat(billing.entries(user, "REFUND")).isEqualTo(2);
    }

    @Test
    void aPaymentIsCreditedOncePerTelegramCharge() throws Exception {
        long user = BillingTestSupport.newUser();
        PaymentReceived payment = BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 25);

        billing.publish(Envelope.of(payment));
        billing.publish(Envelope.of(payment)); // Telegram sent successful_payment twice

        CreditsAdded added = awaitOne(CreditsAdded.class, a -> a.reference().equals(payment.chargeId()));
        assertThat(added.source()).isEqualTo(CreditSource.TOPUP);
        assertThat(added.amount()).isEqualTo(25);
        assertThat(added.balanceAfter()).isEqualTo(35);
        await().atMost(Duration.ofSeconds(10)).until(() -> billing.ignored(payment.chargeId()) == 1);
        assertThat(billing.entries(user, "TOPUP")).isEqualTo(1);
        assertThat(billing.balance(user)).isEqualTo(35);
    }

    @Test
    void aRefundedPaymentTakesItsCreditsBackOnceAndNeverBelowZeroRecordingTheRestForAnAdmin() throws Exception {
        long user = BillingTestSupport.newUser();
        PaymentReceived kept = BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 25);
        PaymentReceived spent = BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 25);
        billing.publish(Envelope.of(kept));
        billing.publish(Envelope.of(spent));
        await().atMost(Duration.ofSeconds(15)).until(() -> billing.balance(user) == 60);

        PaymentRefunded first = refundOf(kept);
        billing.publish(Envelope.of(first));
        billing.publish(Envelope.of(first)); // Telegram reported the refund twice
        await().atMost(Duration.ofSeconds(15)).until(() -> billing.ignored(kept.chargeId()) == 1);
        assertThat(billing.balance(user)).isEqualTo(35);
        assertThat(billing.entries(user, "CHARGEBACK")).isEqualTo(1);

        // Most of the second pack is spent: 30 of the 35 credits go on six requests of five videos.
        for (int i = 0; i < 6; i++) {
            GenerationRequested request = BillingTestSupport.request(user, 5);
            billing.publish(Envelope.of(request));
            awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        }
        assertThat(billing.balance(user)).isEqualTo(5);
        billing.publish(Envelope.of(refundOf(spent)));
        await().atMost(Duration.ofSeconds(15)).until(() -> billing.ignored(spent.chargeId()) == 1);
        assertThat(billing.balance(user))
                .as("taken back as far as the balance goes")
                .isZero();
        assertThat(billing.entries(user, "CHARGEBACK")).isEqualTo(2);
        assertThat(billing.sumOfEntries(user)).isZero();

        // A refund of a charge billing never credited takes nothing.
        PaymentReceived later = BillingTestSupport.payment(user, "charge-" + UUID.randomUUID(), 7);
        billing.publish(Envelope.of(later));
        await().atMost(Duration.ofSeconds(15)).until(() -> billing.balance(user) == 7);
        String unknown = "charge-" + UUID.randomUUID();
        billing.publish(Envelope.of(new PaymentRefunded(unknown, user, user, null, "pack25", 250, 25)));
        await().atMost(Duration.ofSeconds(15)).until(() -> billing.ignored(unknown) == 1);
        assertThat(billing.balance(user)).isEqualTo(7);
        assertThat(billing.entries(user, "CHARGEBACK")).isEqualTo(2);
    }

    private static PaymentRefunded refundOf(PaymentReceived payment) {
        return new PaymentRefunded(
                payment.chargeId(),
                payment.userId(),
                payment.chatId(),
                payment.locale(),
                payment.packId(),
                payment.stars(),
                payment.credits());
    }

    @Test
    void readingABalanceNeverWritesAnUnknownUserReadsAsNoAccountYet() throws Exception {
        long user = BillingTestSupport.newUser();

        internal()
                .get("/internal/balances/" + user)
                .then()
                .statusCode(200)
                .body("balance", equalTo(10))
                .body("account", equalTo(false));
        internal().get("/internal/balances/" + user).then().statusCode(200).body("account", equalTo(false));
        assertThat(billing.accounts(user)).as("a read opens no account").isZero();
        assertThat(billing.entries(user, "WELCOME")).isZero();

        billing.publish(Envelope.of(BillingTestSupport.request(user, 1)));
        awaitOne(GenerationFunded.class, f -> f.request().userId() == user);
        internal()
                .get("/internal/balances/" + user)
                .then()
                .statusCode(200)
                .body("balance", equalTo(9))
                .body("account", equalTo(true));
        assertThat(billing.entries(user, "WELCOME")).isEqualTo(1);
        internal().get("/internal/balances/-4").then().statusCode(400);
    }

    @Test
    void theInternalApiAnswersOnlyCallersWithTheToken() throws Exception {
        long user = BillingTestSupport.newUser();
        given().get("/internal/balances/" + user).then().statusCode(401);
        given().header("X-Internal-Token", "not-the-token")
                .get("/internal/balances/" + user)
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "amount", 1000, "reason", "free money", "idempotencyKey", "x-1"))
                .post("/internal/grants")
                .then()
                .statusCode(401);
        given().get("/internal/conservation").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(billing.accounts(user)).isZero();
    }

    @Test
    void grantsAreIdempotentByTheCallersKeyAndNeverTakeABalanceBelowZero() throws Exception {
        long user = BillingTestSupport.newUser();
        String key = "ticket-" + UUID.randomUUID();

        grant(user, 5, key)
                .then()
                .statusCode(200)
                .body("balanceAfter", equalTo(15))
                .body("applied", equalTo(true));
        grant(user, 5, key)
                .then()
                .statusCode(200)
                .body("balanceAfter", equalTo(15))
                .body("applied", equalTo(false));
        grant(user, -20, "ticket-" + UUID.randomUUID()).then().statusCode(409);
        grant(user, -15, "ticket-" + UUID.randomUUID()).then().statusCode(200).body("balanceAfter", equalTo(0));
        internal()
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user, "amount", 0, "reason", "x", "idempotencyKey", "k"))
                .post("/internal/grants")
                .then()
                .statusCode(400);
        internal()
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user, "amount", 3, "idempotencyKey", "k2"))
                .post("/internal/grants")
                .then()
                .statusCode(400);

        assertThat(billing.entries(user, "GRANT")).isEqualTo(2);
        assertThat(billing.balance(user)).isZero();
        awaitOne(CreditsAdded.class, a -> a.reference().equals(key) && a.source() == CreditSource.GRANT);
    }

    @Test
    void anUnreadableEventGoesToTheDlqWithItsCauseAndTheQueueMovesOn() throws Exception {
        billing.broker()
                .publish(
                        Topology.EXCHANGE,
                        "generation.requested",
                        BrokerProbe.json("future-1", "generation.requested", Map.of()),
                        ("{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"generation.requested\",\"version\":9,"
                                        + "\"occurredAt\":\"2026-11-22T10:00:00Z\",\"payload\":{}}")
                                .getBytes(StandardCharsets.UTF_8));
        long user = BillingTestSupport.newUser();
        GenerationRequested next = BillingTestSupport.request(user, 1);
        billing.publish(Envelope.of(next));

        GetResponse dead = billing.broker().await(QueueName.BILLING_DEBIT.dlq(), Duration.ofSeconds(10));
        assertThat(dead).isNotNull();
        assertThat(dead.getProps().getHeaders().get(Headers.CAUSE).toString()).contains("Unsupported version 9");
        awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(next.requestId()));
    }

    @Test
    void everyBalanceAddsUpAfterAllTheFlows() throws Exception {
        aRequestIsDebitedOnceAndItsJobsAreAnnounced();
        aFailedJobIsRefundedExactlyOnceAndFailuresOfUnfundedJobsChangeNothing();
        aPaymentIsCreditedOncePerTelegramCharge();

        internal().get("/internal/conservation").then().statusCode(200).body("$", empty());
    }

    @Test
    void whatBillingPublishesForARequestContinuesTheRequestsTrace() throws Exception {
        GenerationRequested request = BillingTestSupport.request(BillingTestSupport.newUser(), 1);
        Envelope<GenerationRequested> event = Envelope.of(request);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        billing.broker()
                .publish(
                        Topology.EXCHANGE,
                        event.eventType().routingKey(),
                        BrokerProbe.json(
                                event.id().toString(),
                                event.type(),
                                Map.of(Headers.TRACEPARENT, "00-" + traceId + "-00f067aa0ba902b7-01")),
                        EventCodec.encode(event));

        awaitOne(GenerationFunded.class, f -> f.request().requestId().equals(request.requestId()));
        List<GetResponse> toPrompt = billing.broker().drain(QueueName.PIPELINE_PROMPT.queueName()).stream()
                .filter(m -> request.requestId()
                        .equals(String.valueOf(m.getProps().getHeaders().get(Headers.REQUEST_ID))))
                .toList();
        assertThat(toPrompt).singleElement().satisfies(m -> assertThat(
                        String.valueOf(m.getProps().getHeaders().get(Headers.TRACEPARENT)))
                .as("generation.funded's traceparent (through the outbox)")
                .startsWith("00-" + traceId + "-")
                .doesNotContain("00f067aa0ba902b7"));
    }

    @Test
    void metricsShowEachQueuesOutcomesAndTheOutboxLag() throws Exception {
        aRequestIsDebitedOnceAndItsJobsAreAnnounced();

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .contains(
                        "neurocards_stage_messages_total{outcome=\"processed\",queue=\"billing.debit\",stage=\"billing\"}")
                .contains("neurocards_stage_duration_seconds_count{queue=\"billing.debit\",stage=\"billing\"}")
                .containsPattern(
                        "neurocards_stage_messages_total\\{.*outcome=\"processed\".*queue=\"billing.debit\".*\\} [1-9]")
                .contains("neurocards_stage_duration_seconds_bucket{")
                .contains("neurocards_outbox_lag_seconds")
                .containsPattern("neurocards_outbox_published_total(\\{.*\\})? [1-9]");
    }

    private Response grant(long user, long amount, String key) {
        return internal()
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user, "amount", amount, "reason", "support ticket", "idempotencyKey", key))
                .post("/internal/grants");
    }

    private <P extends Event> P awaitOne(Class<P> type, Predicate<P> match) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> billing.heard(type).stream().anyMatch(match));
        List<P> matching = billing.heard(type).stream().filter(match).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
