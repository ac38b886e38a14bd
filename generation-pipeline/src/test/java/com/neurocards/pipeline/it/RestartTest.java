package com.neurocards.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.InjectKieEmulator;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieEmulatorResource;
import com.neurocards.emulators.kie.KieRecords;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.messaging.consumer.QueueConsumers;
import com.neurocards.messaging.outbox.OutboxRelay;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 50 jobs rendering, and the pipeline goes down abruptly (consumers and outbox relay stopped without grace, its broker
 * connection cut, so whatever it held unacked goes back to the queues) and comes back: every job completes, none is
 * submitted to KIE twice, none is delivered twice. While the videos render, they are messages in a delay queue —
 * no stage holds an unacked message.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramResource.class)
@WithTestResource(
        value = KieEmulatorResource.class,
        initArgs = @ResourceArg(name = "keys", value = "kie-a,kie-b,kie-c"))
class RestartTest {

    static final int REQUESTS = 10;
    static final int VIDEOS = 5;

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectKieEmulator
    KieEmulator kie;

    @Inject
    QueueConsumers consumers;

    @Inject
    OutboxRelay relay;

    @Test
    void fiftyRenderingJobsSurviveAnAbruptRestartWithoutDoubleSubmitsOrDoubleDeliveries() throws Exception {
        PipelineDriver driver = new PipelineDriver(infra, telegram);
        driver.purgeQueues();
        List<String> requests = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            requests.add(driver.fund(
                            9000 + r,
                            Language.RU,
                            Template.SELF,
                            "Кружка",
                            "Slow push-in on the mug [kie:polls=5]",
                            VIDEOS)
                    .payload()
                    .request()
                    .requestId());
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> count(driver, requests, "SUBMITTED") == REQUESTS * VIDEOS);

        // rendering = waiting in a delay queue, nothing unacked on the poll queue. The delay queue's count is the
        // broker's own (a passive declare), exact at once; the management API's statistics are sampled every 5 s.
        // Counted against the jobs still rendering, so a slow machine that lets a few finish first still passes.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long rendering = count(driver, requests, "SUBMITTED");
                    return rendering >= REQUESTS * VIDEOS - 10
                            && queue(QueueName.PIPELINE_POLL.queueName())
                                            .path("messages_unacknowledged")
                                            .asInt(-1)
                                    == 0
                            && driver.broker().messageCount(DelayTier.SECONDS_5.queueName()) >= rendering - 2;
                });

        // down, abruptly
        consumers.stop(Duration.ZERO);
        relay.stop();
        infra.vhost().closeConnections("generation-pipeline");
        Thread.sleep(3_000);
        // and up again
        relay.start();
        consumers.start();

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count(driver, requests, "DELIVERED") == REQUESTS * VIDEOS);

        List<KieRecords.ReceivedCreate> tasks =
                kie.creates().stream().filter(c -> c.code() == 200).toList();
        assertThat(tasks).as("KIE tasks created").hasSize(REQUESTS * VIDEOS);
        for (int r = 0; r < REQUESTS; r++) {
            long chat = 9000 + r;
            assertThat(driver.videos(chat)).as("videos in chat %d", chat).hasSize(VIDEOS);
            assertThat(driver.videos(chat).stream().map(m -> m.caption()).distinct())
                    .hasSize(VIDEOS);
            assertThat(driver.progressMessages(chat))
                    .as("progress messages in chat %d", chat)
                    .hasSize(1);
        }
        Map<String, Long> delivered = driver.broker().drain(QueueName.GATEWAY_UPDATES.queueName()).stream()
                .filter(m -> "generation.delivered".equals(m.getProps().getType()))
                .map(m -> EventCodec.decode(m.getBody()).jobId())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(delivered).hasSize(REQUESTS * VIDEOS).allSatisfy((job, n) -> assertThat(n)
                .isEqualTo(1L));
        for (QueueName q : List.of(
                QueueName.PIPELINE_PROMPT,
                QueueName.PIPELINE_SUBMIT,
                QueueName.PIPELINE_POLL,
                QueueName.PIPELINE_DELIVER,
                QueueName.PIPELINE_NOTIFY)) {
            assertThat(driver.broker().messageCount(q.dlq())).as(q.dlq()).isZero();
        }
    }

    private JsonNode queue(String name) throws IOException {
        return EventCodec.mapper().readTree(infra.vhost().queueJson(name));
    }

    private static long count(PipelineDriver driver, List<String> requests, String status) {
        return requests.stream()
                .flatMap(r -> driver.jobStatuses(r).values().stream())
                .filter(status::equals)
                .count();
    }
}
