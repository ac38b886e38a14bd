package com.neurocards.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieOutcome;
import com.neurocards.emulators.kie.KieSettings;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.SampleMedia;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.LocalServices;
import com.neurocards.testing.ServiceProcess;
import com.neurocards.testing.TestInfrastructure;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code trace}, {@code replay} and {@code dlq requeue} on a real run: billing and the generation pipeline as processes
 * (their packaged jars) on this test's own vhost and database, the Telegram and KIE emulators in this JVM. The test
 * plays the gateway: it publishes {@code generation.requested} and reads the ledger, the jobs and the chats.
 */
class TraceAndReplayTest {

    static final AtomicLong USERS = new AtomicLong(7_100_000 + (System.nanoTime() % 100_000));

    static TestInfrastructure infra;
    static TelegramEmulator telegram;
    static KieEmulator kie;
    static ServiceProcess billing;
    static ServiceProcess pipeline;

    String out;
    String err;

    @BeforeAll
    static void startTheSystem() {
        infra = TestInfrastructure.create();
        telegram = new TelegramEmulator(ServiceProcess.randomBotToken(), TelegramEmulator.DEFAULT_USERNAME);
        telegram.start(0);
        kie = new KieEmulator(KieSettings.defaults());
        kie.start(0);
        Map<String, String> env = new HashMap<>(ServiceProcess.environmentFor(infra));
        env.put("TELEGRAM_BOT_TOKEN", telegram.token());
        env.put("TELEGRAM_API_URL", telegram.baseUrl());
        env.put("KIE_API_URL", kie.baseUrl());
        env.put("KIE_UPLOAD_URL", kie.baseUrl());
        env.put("VIDEO_DOWNLOAD_ALLOWED_HOSTS", kie.resultHost()); // the emulator's results: plain HTTP, 127.0.0.1
        env.put("KIE_API_KEYS", KieSettings.DEFAULT_API_KEY);
        env.put("NEUROCARDS_PIPELINE_POLL_SCHEDULE", "3s");
        env.put("WELCOME_CREDITS", "10");
        // each service as its own broker user, as in production (the packaged jars refuse guest)
        billing = new ServiceProcess(
                        jar("billing"),
                        ServiceProcess.withBrokerUser(env, infra, BrokerUser.BILLING),
                        ServiceProcess.logFile("cli-billing"))
                .start();
        pipeline = new ServiceProcess(
                        jar("generation-pipeline"),
                        ServiceProcess.withBrokerUser(env, infra, BrokerUser.PIPELINE),
                        ServiceProcess.logFile("cli-pipeline"))
                .start();
    }

    @AfterAll
    static void stopTheSystem() {
        for (AutoCloseable closeable : new AutoCloseable[] {pipeline, billing, telegram, kie, infra}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void traceOfADeliveredJobTellsEveryStageInOrderWithTheDebitAndTheVideoSent() throws Exception {
        long user = USERS.incrementAndGet();
        String requestId = request(user, 1);
        String jobId = requestId + "-1";
        awaitStatus(jobId, "DELIVERED");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run("trace", jobId)).isZero();
            assertThat(out).containsSubsequence("funded", "prompt", "submitted", "polled", "ready", "delivered");
        });
        assertThat(out)
                .contains(
                        "job " + jobId + ": DELIVERED",
                        "DEBIT -1 credit(s), balance 9",
                        "debit:" + requestId,
                        "sent job " + jobId + " to chat " + user,
                        "progress message");

        assertThat(run("trace", requestId, "--json")).isZero();
        JsonNode trace = EventCodec.mapper().readTree(out);
        assertThat(trace.path("requestId").asText()).isEqualTo(requestId);
        assertThat(trace.path("jobs").get(0).path("status").asText()).isEqualTo("DELIVERED");
        List<String> stages = new ArrayList<>();
        trace.path("steps").forEach(step -> stages.add(step.path("stage").asText()));
        assertThat(stages)
                .containsSubsequence("requested", "funded", "prompt", "submitted", "polled", "ready", "delivered");
    }

    @Test
    void unknownIdsFailClearly() {
        assertThat(run("trace", "no-such-request")).isEqualTo(1);
        assertThat(err).contains("no request or job 'no-such-request'");
        assertThat(run("replay", "no-such-job", "--from", "submit")).isEqualTo(1);
        assertThat(err).contains("unknown job 'no-such-job'");
        assertThat(run("replay", "no-such-job", "--from", "render")).isEqualTo(2);
        assertThat(err).contains("prompt, submit, poll, deliver");
    }

    @Test
    void replayFromSubmitOfARefundedJobRendersAndDeliversItWithoutASecondDebitOrRefund() throws Exception {
        long user = USERS.incrementAndGet();
        String jobId = refundedJob(user);
        String requestId = jobId.substring(0, jobId.lastIndexOf('-'));
        assertThat(balance(user)).isEqualTo(10);
        int creates = kie.creates().size();

        // a dry run prints the message and changes nothing
        long journalRows = quietJournal();
        String jobRow = jobRow(jobId);
        assertThat(run("replay", jobId, "--from", "submit", "--dry-run")).isZero();
        assertThat(out)
                .contains(
                        "would replay",
                        "routing key pipeline.submit",
                        Headers.REPLAY_OF,
                        "prompt.built",
                        "dry run: nothing published");
        Thread.sleep(2_000);
        assertThat(count("SELECT count(*) FROM pipeline.journal"))
                .as("nothing published")
                .isEqualTo(journalRows);
        assertThat(count("SELECT count(*) FROM pipeline.journal WHERE replay_of IS NOT NULL AND job_id = '" + jobId
                        + "'"))
                .isZero();
        assertThat(jobRow(jobId)).isEqualTo(jobRow);
        assertThat(kie.creates()).hasSize(creates);

        // the replay: submitted again, rendered, delivered; billing neither debits nor refunds again
        assertThat(run("replay", jobId, "--from", "submit")).isZero();
        awaitStatus(jobId, "DELIVERED");
        assertThat(kie.creates()).hasSize(creates + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> videos(user).size() == 1);
        Thread.sleep(2_000); // time for a wrong second refund or debit to show
        assertThat(ledgerKinds(requestId)).containsExactly("DEBIT", "REFUND");
        assertThat(balance(user)).isEqualTo(10);

        // the story shows the failure, the refund, the replay and the delivery
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run("trace", jobId)).isZero();
            assertThat(out)
                    .containsSubsequence("failed", "REFUND", "replay", "submitted", "ready", "generation.delivered")
                    .contains("replay of ");
        });
        assertThat(metrics("neurocards_journal_lag_seconds"))
                .as("the pipeline measures the journal's lag")
                .isNotEmpty();

        // delivered now: another replay would send the video twice and is refused unless asked for
        assertThat(run("replay", jobId, "--from", "deliver")).isEqualTo(1);
        assertThat(err).contains("--allow-redelivery");

        // asked for: the same video once more, one job reset for that replay, still no second debit
        assertThat(run("replay", jobId, "--from", "deliver", "--allow-redelivery"))
                .isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> videos(user).size() == 2);
        awaitStatus(jobId, "DELIVERED");
        assertThat(count("SELECT count(*) FROM pipeline.job_replay WHERE stage = 'DELIVER' AND job_id = '" + jobId
                        + "'"))
                .isEqualTo(1);
        assertThat(ledgerKinds(requestId)).containsExactly("DEBIT", "REFUND");
    }

    @Test
    void aReplayThatFailsAgainIsNotRefundedTwiceAndAReplayFromPromptRendersAnew() throws Exception {
        long user = USERS.incrementAndGet();
        String jobId = refundedJob(user);
        String requestId = jobId.substring(0, jobId.lastIndexOf('-'));

        // the same KIE task looked at again: KIE still says it was rejected, the job fails a second time
        assertThat(run("replay", jobId, "--from", "poll")).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT count(*) FROM pipeline.journal WHERE job_id = '" + jobId
                                + "' AND event_type = 'generation.failed'")
                        == 2);
        awaitStatus(jobId, "FAILED");
        Thread.sleep(2_000); // time for billing to (wrongly) refund the second failure
        assertThat(ledgerKinds(requestId)).containsExactly("DEBIT", "REFUND");

        // new prompts for the failed job of the request: rendered and delivered, still one debit and one refund
        assertThat(run("replay", jobId, "--from", "prompt")).isZero();
        awaitStatus(jobId, "DELIVERED");
        await().atMost(Duration.ofSeconds(10)).until(() -> videos(user).size() == 1);
        assertThat(ledgerKinds(requestId)).containsExactly("DEBIT", "REFUND");
        assertThat(balance(user)).isEqualTo(10);
    }

    @Test
    void aRequeuedDeadLetterIsProcessed() {
        long user = USERS.incrementAndGet();
        Envelope<GenerationRequested> requested = requestedBy(user, 1);
        // billing gave up on it once (say, its database was down for too long)
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Headers.REQUEST_ID, requested.correlationId());
        headers.put(Headers.ATTEMPT, 3);
        headers.put(Headers.ERROR_CLASS, "TEMPORARY");
        headers.put(Headers.CAUSE, "database unavailable");
        headers.put(Headers.STAGE, "BILLING");
        headers.put(Headers.ORIGINAL_QUEUE, QueueName.BILLING_DEBIT.queueName());
        headers.put(Headers.FAILED_AT, Instant.now().toString());
        infra.broker()
                .publish(
                        Topology.DEAD_LETTER_EXCHANGE,
                        QueueName.BILLING_DEBIT.queueName(),
                        BrokerProbe.json(requested.id().toString(), requested.type(), headers),
                        EventCodec.encode(requested));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> infra.broker().messageCount(QueueName.BILLING_DEBIT.dlq()) == 1);

        assertThat(run(
                        "dlq",
                        "requeue",
                        QueueName.BILLING_DEBIT.dlq(),
                        "--id",
                        requested.id().toString()))
                .isZero();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> ledgerKinds(requested.correlationId()).equals(List.of("DEBIT")));
        awaitStatus(requested.correlationId() + "-1", "DELIVERED");
        // the journal stores what crosses the broker a moment after it crossed
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run("trace", requested.correlationId())).isZero();
            assertThat(out)
                    .contains("dead-letter", "database unavailable")
                    .containsSubsequence("dead-letter", "re-drive", "funded", "generation.delivered");
        });
    }

    // --- playing the gateway, reading the ledger and the jobs

    private String request(long user, int count) {
        Envelope<GenerationRequested> requested = requestedBy(user, count);
        infra.broker()
                .publish(
                        Topology.EXCHANGE,
                        requested.type(),
                        BrokerProbe.json(
                                requested.id().toString(),
                                requested.type(),
                                Map.of(Headers.REQUEST_ID, requested.correlationId())),
                        EventCodec.encode(requested));
        return requested.correlationId();
    }

    private static Envelope<GenerationRequested> requestedBy(long user, int count) {
        ChatMessage sent = telegram.user(user).sendPhoto(SampleMedia.jpeg(640, 800));
        JsonArray sizes = sent.json().getJsonArray("photo");
        Photo photo =
                new Photo(sent.fileId(), sizes.getJsonObject(sizes.size() - 1).getString("file_unique_id"));
        return Envelope.of(new GenerationRequested(
                UUID.randomUUID().toString(),
                user,
                user,
                Language.EN,
                photo,
                "A ceramic mug",
                Template.AD,
                "-",
                null,
                count,
                "veo3_fast",
                "9:16"));
    }

    private static List<ChatMessage> videos(long chat) {
        return telegram.botMessages(chat).stream()
                .filter(m -> "video".equals(m.kind()))
                .toList();
    }

    private static void awaitStatus(String jobId, String status) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> status.equals(text("SELECT status FROM pipeline.job WHERE job_id = ?", jobId)));
    }

    private static List<String> ledgerKinds(String requestId) throws SQLException {
        List<String> kinds = new ArrayList<>();
        try (Connection c = infra.database().connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT kind FROM billing.ledger_entry WHERE request_id = ? ORDER BY id")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
        }
        return kinds;
    }

    private static long balance(long user) throws SQLException {
        return Long.parseLong(text("SELECT balance::text FROM billing.account WHERE user_id = ?", user));
    }

    private static String jobRow(String jobId) throws SQLException {
        return text("SELECT row_to_json(j)::text FROM pipeline.job j WHERE job_id = ?", jobId);
    }

    /** The journal's row count once nothing has arrived for a while (the failed run's last events are stored). */
    private static long quietJournal() {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(1_500))
                .until(() -> {
                    long now = count("SELECT count(*) FROM pipeline.journal");
                    boolean quiet = now == last[0];
                    last[0] = now;
                    return quiet;
                });
        return last[0];
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(String sql, Object parameter) throws SQLException {
        try (Connection c = infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<String> metrics(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(pipeline.baseUrl() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(line -> line.startsWith(name)).toList();
    }

    private static Path jar(String module) {
        return Path.of("..", "..", module, "target", "quarkus-app", "quarkus-run.jar");
    }

    /** A one-video request whose render KIE rejects for content: failed and refunded. Returns the job id. */
    private String refundedJob(long user) {
        kie.scriptNextPoll(KieOutcome.contentRejected());
        String requestId = request(user, 1);
        String jobId = requestId + "-1";
        awaitStatus(jobId, "FAILED");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ledgerKinds(requestId).equals(List.of("DEBIT", "REFUND")));
        // the refund has reached the pipeline too (the seller is told; a refund of a job not ended would end it): a
        // replay started before that would race with it
        await().atMost(Duration.ofSeconds(20))
                .until(() -> text("SELECT refunded_at::text FROM pipeline.job WHERE job_id = ?", jobId) != null);
        return jobId;
    }

    private int run(String... args) {
        CliRun run = CliRun.of(
                List.of(
                        "--vhost",
                        infra.vhost().name(),
                        "--rabbitmq-host",
                        LocalServices.rabbitHost(),
                        "--rabbitmq-port",
                        String.valueOf(LocalServices.rabbitPort()),
                        "--db-host",
                        LocalServices.dbHost(),
                        "--db-port",
                        String.valueOf(LocalServices.dbPort()),
                        "--db-name",
                        infra.database().name()),
                args);
        out = run.out();
        err = run.err();
        return run.exit();
    }
}
