package com.neurocards.pipeline.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.llm.LlmEmulatorResource;
import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.messaging.health.OutsideServiceProbes;
import com.neurocards.pipeline.kie.KieCreditWatch;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of the pipeline: one trace per request through every stage, request and job ids on every
 * log line of a job's work (also on other threads and in retries), the metrics series, outside services in
 * {@code /q/health}, and the low-credit alarm.
 */
@QuarkusTest
@TestProfile(ObservabilityProfile.class)
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = {
            @ResourceArg(name = "renderPolls", value = "1"),
            @ResourceArg(name = "keys", value = "kie-observed-key")
        })
@WithTestResource(LlmEmulatorResource.class)
class ObservabilityTest {

    private static final String KEY = "kie-observed-key";

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @Inject
    KieCreditWatch creditWatch;

    @Inject
    OutsideServiceProbes probes;

    PipelineDriver driver;

    @BeforeEach
    void setUp() {
        driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        kie.reset();
        kie.setCredits(100_000);
    }

    @Test
    void oneRequestIsOneTraceAndEveryLogLineOfItsWorkNamesTheRequestItsJobAndTheTrace() throws Exception {
        Channel channel = infra.broker().channel();
        String capture = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(capture, Topology.EXCHANGE, "#");
        // the first create fails for a temporary reason: the retry runs on other threads, after a delay tier
        kie.scriptNextCreate(KieOutcome.envelopeError(500));
        // billing's consumer span published generation.funded
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-" + "b7ad6b7169203331" + "-01";
        long user = 3001;

        Envelope<GenerationFunded> funded;
        try (LogCapture logs = new LogCapture()) {
            funded = fund(user, 2, traceparent);
            String requestId = funded.payload().request().requestId();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> driver.jobStatuses(requestId).values().stream().allMatch("DELIVERED"::equals)
                            && driver.jobStatuses(requestId).size() == 2
                            && driver.progressMessages(user).stream()
                                    .anyMatch(m -> m.text().startsWith("✅")));
            Thread.sleep(500); // the last progress edit's log lines

            // every event of the request, from every stage and the retry, continues the trace billing started
            List<GetResponse> events = drain(channel, capture).stream()
                    .filter(m -> requestId.equals(header(m, Headers.REQUEST_ID)))
                    .toList();
            assertThat(events)
                    .extracting(m -> m.getProps().getType())
                    .contains("prompt.built", "video.submitted", "video.ready", "generation.delivered");
            assertThat(events).allSatisfy(m -> assertThat(header(m, Headers.TRACEPARENT))
                    .as("traceparent of %s", m.getProps().getType())
                    .isNotNull()
                    .contains("-" + traceId + "-"));
            assertThat(events.stream()
                            .map(m -> header(m, Headers.TRACEPARENT))
                            .distinct()
                            .count())
                    .as("each stage's work is its own span")
                    .isGreaterThan(1);

            // every line our code logged about this request's work names it, and its trace
            List<String> jobIds = List.of(requestId + "-1", requestId + "-2");
            List<LogCapture.Line> ours = logs.lines().stream()
                    .filter(l -> l.logger().startsWith("com.neurocards.pipeline")
                            || l.logger().startsWith("com.neurocards.messaging"))
                    .toList();
            // (background work — relay, probes, credit watch — runs on threads of its own and names no job)
            List<LogCapture.Line> jobWork = ours.stream()
                    .filter(l -> !List.of("outbox-relay", "outside-service-probes", "kie-credit-watch", "main")
                            .contains(l.thread()))
                    .toList();
            assertThat(jobWork)
                    .as("lines logged while the request's messages were handled")
                    .hasSizeGreaterThanOrEqualTo(5);
            assertThat(jobWork.stream().map(LogCapture.Line::thread).distinct().count())
                    .as("threads the work ran on")
                    .isGreaterThan(1);
            assertThat(jobWork).allSatisfy(l -> assertThat(l.mdc())
                    .as("MDC of '%s' on %s", l.message(), l.thread())
                    .containsEntry("requestId", requestId)
                    .containsEntry("traceId", traceId));
            List<LogCapture.Line> aboutAJob = ours.stream()
                    .filter(l -> l.message() != null && jobIds.stream().anyMatch(l.message()::contains))
                    .toList();
            assertThat(aboutAJob).allSatisfy(l -> assertThat(l.mdc().get("jobId"))
                    .as("jobId of '%s' on %s", l.message(), l.thread())
                    .isIn(jobIds));
            // the retry was logged from a worker thread, not the consumer's, and still names its job
            assertThat(ours).anySatisfy(l -> {
                assertThat(l.message()).contains("retrying in");
                assertThat(l.mdc())
                        .containsEntry("requestId", requestId)
                        .containsKey("jobId")
                        .containsEntry("traceId", traceId);
            });
            // nothing secret in any line
            assertThat(logs.lines())
                    .noneSatisfy(l -> assertThat(String.valueOf(l.message())).containsAnyOf(KEY, telegram.token()));
        }
    }

    @Test
    void metricsShowStagesKieKeysTelegramRateLimitsEndToEndTimeAndOutboxLag() {
        // one 429 from Telegram on the way (waited out without using an attempt), then a 502 (a retried attempt)
        telegram.failNext("sendVideo", 1, BotApiError.tooManyRequests(1));
        telegram.failNext("sendVideo", 1, BotApiError.badGateway());
        long user = 3002;
        String requestId = fund(user, 1, null).payload().request().requestId();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> driver.jobStatuses(requestId).values().stream().anyMatch("DELIVERED"::equals));
        creditWatch.check().await().atMost(Duration.ofSeconds(30));

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        String keyId = KieKeyPool.fingerprint(KEY);
        assertThat(metrics)
                .contains(
                        "neurocards_stage_messages_total{outcome=\"processed\",queue=\"pipeline.deliver\",stage=\"deliver\"}")
                .contains(
                        "neurocards_stage_messages_total{outcome=\"paced\",queue=\"pipeline.deliver\",stage=\"deliver\"}")
                .contains(
                        "neurocards_stage_messages_total{outcome=\"retried\",queue=\"pipeline.deliver\",stage=\"deliver\"}")
                .contains(
                        "neurocards_stage_failures_total{error_class=\"TEMPORARY\",queue=\"pipeline.deliver\",stage=\"deliver\"}")
                .doesNotContain("neurocards_stage_failures_total{error_class=\"RATE_LIMIT\",queue=\"pipeline.deliver\"")
                .contains("neurocards_stage_duration_seconds_count{queue=\"pipeline.submit\",stage=\"submit\"}")
                .contains("neurocards_pipeline_funded_to_delivered_seconds_count")
                .contains("neurocards_kie_key_state{key=\"" + keyId + "\",state=\"usable\"}")
                .contains("neurocards_kie_key_creates_window{key=\"" + keyId + "\"}")
                .contains("neurocards_kie_creates_throttled_total")
                .containsPattern("neurocards_kie_credits\\{key=\"" + keyId + "\"} \\d+\\.0")
                .contains("neurocards_telegram_rate_limited_total{sender=\"pipeline\"} 1.0")
                .contains("neurocards_outbox_lag_seconds")
                .contains("neurocards_outside_service_up{service=\"kie\"}")
                .doesNotContain(KEY);
    }

    @Test
    void outsideServicesAreShownInHealthWithoutMakingThePipelineUnready() {
        probes.probeAll();
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'outside-services' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'outside-services' }.data.kie", startsWith("UP"))
                .body("checks.find { it.name == 'outside-services' }.data.llm", startsWith("UP"))
                .body("checks.find { it.name == 'outside-services' }.data.telegram", startsWith("UP"));
        given().get("/q/health/group/outside-services").then().statusCode(200).body("status", equalTo("UP"));

        kie.removeApiKey(KEY); // KIE refuses us (401): as good as down for the pipeline
        try {
            probes.probeAll();
            given().get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'outside-services' }.data.kie", startsWith("DOWN"))
                    .body("checks.find { it.name == 'outside-services' }.data.telegram", startsWith("UP"))
                    .body(not(containsString(KEY)))
                    .body(not(containsString(telegram.token())));
            given().get("/q/health/group/outside-services")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.name", hasItem("outside-services"))
                    .body(not(containsString(KEY)));
            String metrics = given().get("/q/metrics").then().extract().asString();
            assertThat(metrics)
                    .contains("neurocards_outside_service_up{service=\"kie\"} 0.0")
                    .contains("neurocards_outside_service_up{service=\"telegram\"} 1.0");
        } finally {
            kie.addApiKey(KEY);
            probes.probeAll();
        }
    }

    @Test
    void lowKieCreditsAlertTheAdminsOncePerCrossingAndReArmWhenToppedUp() {
        telegram.user(ObservabilityProfile.ADMIN_CHAT).sendText("/start");
        String keyId = KieKeyPool.fingerprint(KEY);
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        assertThat(alerts()).isEmpty();

        kie.setCredits(ObservabilityProfile.THRESHOLD - 100);
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        assertThat(alerts()).singleElement().satisfies(m -> assertThat(m.text())
                .contains(keyId)
                .contains(String.valueOf(ObservabilityProfile.THRESHOLD - 100))
                .doesNotContain(KEY));
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("neurocards_kie_credits{key=\"" + keyId + "\"} " + (ObservabilityProfile.THRESHOLD - 100)
                        + ".0");

        // still low, and lower: no spam
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        kie.setCredits(10);
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        assertThat(alerts()).hasSize(1);

        // topped up: re-armed; the next crossing alerts again
        kie.setCredits(50_000);
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        assertThat(alerts()).hasSize(1);
        kie.setCredits(20);
        creditWatch.check().await().atMost(Duration.ofSeconds(30));
        assertThat(alerts()).hasSize(2);
        assertThat(creditWatch.balances()).containsEntry(keyId, 20L);
    }

    private List<ChatMessage> alerts() {
        return telegram.botMessages(ObservabilityProfile.ADMIN_CHAT).stream()
                .filter(m -> m.text() != null && m.text().contains("KIE"))
                .toList();
    }

    private Envelope<GenerationFunded> fund(long user, int count, String traceparent) {
        String requestId = UUID.randomUUID().toString();
        GenerationRequested request = new GenerationRequested(
                requestId,
                user,
                user,
                Language.EN,
                driver.photoFrom(user),
                "Ceramic coffee mug with a bamboo lid",
                Template.AD,
                "-",
                null,
                count,
                "veo3_fast",
                "9:16");
        List<String> jobIds = IntStream.rangeClosed(1, count)
                .mapToObj(i -> requestId + "-" + i)
                .toList();
        Envelope<GenerationFunded> funded = Envelope.of(new GenerationFunded(request, jobIds, count, 10 - count));
        Map<String, Object> headers = new HashMap<>();
        headers.put(Headers.REQUEST_ID, requestId);
        if (traceparent != null) {
            headers.put(Headers.TRACEPARENT, traceparent);
        }
        driver.broker()
                .publish(
                        Topology.EXCHANGE,
                        funded.eventType().routingKey(),
                        BrokerProbe.json(funded.id().toString(), funded.type(), headers),
                        EventCodec.encode(funded));
        return funded;
    }

    private static List<GetResponse> drain(Channel channel, String queue) throws Exception {
        List<GetResponse> out = new ArrayList<>();
        GetResponse message;
        while ((message = channel.basicGet(queue, true)) != null) {
            out.add(message);
        }
        return out;
    }

    private static String header(GetResponse message, String name) {
        Map<String, Object> headers = message.getProps().getHeaders();
        Object value = headers == null ? null : headers.get(name);
        return value == null ? null : value.toString();
    }
}
