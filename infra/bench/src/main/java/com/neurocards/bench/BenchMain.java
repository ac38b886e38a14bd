package com.neurocards.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.neurocards.harness.NeuroCardsSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole-pipeline benchmark (docs/performance.md): the broker's own ceiling, then billing, the pipeline and the
 * gateway as jars on the real broker and database with the emulators, in one run on this machine.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures NeuroCards as a whole on this machine and writes a JSON report.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "A run of under three minutes: fewer videos, shorter phases.")
    boolean quick;

    @Option(
            names = "--report",
            defaultValue = "infra/bench/target/bench-report.json",
            description = "Where the JSON report goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--baseline-seconds", description = "How long the broker alone is measured.")
    Integer baselineSeconds;

    @Option(names = "--videos", description = "Videos of the throughput phase.")
    Integer videos;

    @Option(names = "--rate", description = "Videos offered per second in the overhead phase.")
    Double rate;

    @Option(names = "--overhead-seconds", description = "How long videos are offered in the overhead phase.")
    Integer overheadSeconds;

    @Option(names = "--render-seconds", description = "The emulated render time of the overhead phase.")
    Integer renderSeconds;

    @Option(
            names = "--in-flight-seconds",
            description = "The longest the in-flight phase may take to reach its aim (its renders are taken only as"
                    + " fast as the pipeline writes their prompts and submits them).")
    Integer inFlightSeconds;

    @Option(names = "--in-flight", description = "Renders in flight the in-flight phase aims for.")
    Integer inFlight;

    @Option(names = "--updates-per-second", description = "Seller updates a second in the gateway phase.")
    Integer updatesPerSecond;

    @Option(names = "--gateway-seconds", description = "How long the gateway phase sends updates (after its warm-up).")
    Integer gatewaySeconds;

    @Option(
            names = "--gateway-warm-up-seconds",
            description = "How long the gateway phase sends updates before it measures (reported apart, as warm-up).")
    Integer gatewayWarmUpSeconds;

    @Option(names = "--kie-keys", description = "KIE API keys (each may create 18 renders per 10 s).")
    Integer kieKeys;

    @Option(
            names = "--telegram-per-second",
            defaultValue = "1000",
            description = "The bot's Telegram allowance, messages a second (free bots: 30; paid broadcasts: up to"
                    + " 1,000). Default: ${DEFAULT-VALUE}.")
    int telegramPerSecond;

    @Option(
            names = "--set",
            paramLabel = "NAME=VALUE",
            description = "A configuration variable for the services (README's names), e.g. to compare a setting's"
                    + " effect; repeatable; wins over the benchmark's own.")
    Map<String, String> settings = new HashMap<>();

    /** The sizes of each phase, full or quick; any option given on the command line wins. */
    private record Plan(
            int baselineSeconds,
            int videos,
            double rate,
            int overheadSeconds,
            int renderSeconds,
            int inFlight,
            double inFlightOfferRate,
            int stallSeconds,
            int inFlightSeconds,
            int updatesPerSecond,
            int gatewayWarmUpSeconds,
            int gatewaySeconds,
            int kieKeys) {}

    private Plan plan() {
        Plan base = quick
                ? new Plan(5, 300, 50, 6, 3, 1_000, 150, 10, 40, 200, 5, 8, 100)
                : new Plan(15, 3_000, 100, 30, 5, 10_000, 250, 30, 480, 200, 20, 30, 300);
        return new Plan(
                or(baselineSeconds, base.baselineSeconds()),
                or(videos, base.videos()),
                rate != null ? rate : base.rate(),
                or(overheadSeconds, base.overheadSeconds()),
                or(renderSeconds, base.renderSeconds()),
                or(inFlight, base.inFlight()),
                base.inFlightOfferRate(),
                base.stallSeconds(),
                or(inFlightSeconds, base.inFlightSeconds()),
                or(updatesPerSecond, base.updatesPerSecond()),
                or(gatewayWarmUpSeconds, base.gatewayWarmUpSeconds()),
                or(gatewaySeconds, base.gatewaySeconds()),
                or(kieKeys, base.kieKeys()));
    }

    private static int or(Integer given, int otherwise) {
        return given != null ? given : otherwise;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Plan plan = plan();
        Instant began = Instant.now();
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean failed = false;

        say(
                "broker alone: %d s of %d-byte persistent messages, confirms, quorum queue, manual acks",
                plan.baselineSeconds(), eventBytes());
        BrokerBaseline.Result baseline = BrokerBaseline.run(Duration.ofSeconds(plan.baselineSeconds()), eventBytes());
        result.put("broker_msgs_per_s", round(baseline.messagesPerSecond()));
        details.put("baseline", Map.of("message_bytes", baseline.messageBytes(), "messages", baseline.consumed()));

        say("starting the system (billing, pipeline, gateway as jars; emulators with %d KIE keys)", plan.kieKeys());
        try (NeuroCardsSystem system = NeuroCardsSystem.start("bench", configuration(plan))) {
            // Ctrl-C or a kill stops the services this run started too, not only this JVM
            Thread stopServices = new Thread(system::close, "bench-stop-services");
            Runtime.getRuntime().addShutdownHook(stopServices);
            try {
                failed = !measure(system, plan, baseline, result, details);
            } finally {
                Runtime.getRuntime().removeShutdownHook(stopServices);
            }
        }
        result.put("mode", quick ? "quick" : "full");
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("telegram_messages_per_s", telegramPerSecond);
        result.put("settings", settings);
        result.put("duration_s", Duration.between(began, Instant.now()).toSeconds());
        result.put("details", details);

        Path file = report.toAbsolutePath();
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
        System.out.println();
        System.out.println(BenchTable.render(result));
        System.out.println("Report: " + file);
        return failed ? 1 : 0;
    }

    /** The phases on the running system; false when a phase could not deliver what it offered. */
    private boolean measure(
            NeuroCardsSystem system,
            Plan plan,
            BrokerBaseline.Result baseline,
            Map<String, Object> result,
            Map<String, Object> details)
            throws InterruptedException {
        boolean complete = true;
        result.put(
                "startup_ms",
                Map.of(
                        "billing", system.billing.startupTime().toMillis(),
                        "pipeline", system.pipeline.startupTime().toMillis(),
                        "gateway", system.gateway.startupTime().toMillis()));
        Sellers sellers = new Sellers(system, 7_000_000_000L);
        PipelinePhases phases = new PipelinePhases(system, sellers);

        say("throughput: %d videos offered at once, renders finish at once", plan.videos());
        PipelinePhases.Throughput throughput =
                phases.throughput(plan.videos(), Duration.ofSeconds(Math.max(120, plan.videos() / 5)));
        double brokerVideos =
                throughput.acksPerVideo() > 0 ? baseline.messagesPerSecond() / throughput.acksPerVideo() : 0;
        // A message the broker alone carried went through one queue: what a video costs the broker is every copy of
        // its events through a queue (one event routed to three queues is three), i.e. the messages acknowledged.
        result.put("msgs_per_video", round(throughput.acksPerVideo()));
        result.put("broker_videos_per_s", round(brokerVideos));
        result.put("videos_per_s", round(throughput.videosPerSecond()));
        result.put("ratio_to_broker", brokerVideos > 0 ? round4(throughput.videosPerSecond() / brokerVideos) : 0);
        details.put(
                "throughput",
                Map.of(
                        "offered",
                        throughput.offered(),
                        "delivered",
                        throughput.delivered(),
                        "failed",
                        throughput.failed(),
                        "seconds",
                        round(throughput.seconds()),
                        "published_per_video",
                        round(throughput.messagesPerVideo()),
                        "db_commits_per_video",
                        round(throughput.commitsPerVideo()),
                        "cpu_ms_per_video",
                        throughput.cpuMsPerVideo(),
                        "pipeline_rss_mb",
                        round(throughput.pipeline().rssMb()),
                        "telegram_calls_per_video",
                        throughput.telegramCallsPerVideo(),
                        "timeline",
                        throughput.timeline()));
        if (throughput.delivered() < throughput.offered()) {
            complete = false;
        }

        say(
                "overhead: %.0f one-video requests a second for %d s, %d s renders",
                plan.rate(), plan.overheadSeconds(), plan.renderSeconds());
        PipelinePhases.Overhead overhead = phases.overhead(
                plan.rate(),
                Duration.ofSeconds(plan.overheadSeconds()),
                Duration.ofSeconds(plan.renderSeconds()),
                Duration.ofMinutes(quick ? 1 : 3));
        result.put("overhead_ms", percentiles(overhead.overheadMs(), 1, "p50", "p95", "p99"));
        Map<String, Object> hops = new LinkedHashMap<>();
        hops.put("debit_to_job", percentiles(overhead.fundedToJobMs(), 1, "p50", "p99"));
        hops.put("job_to_submitted", percentiles(overhead.jobToSubmittedMs(), 1, "p50", "p99"));
        hops.put("render_end_to_ready", percentiles(overhead.renderEndToReadyMs(), 1, "p50", "p99"));
        hops.put("ready_to_delivered", percentiles(overhead.readyToDeliveredMs(), 1, "p50", "p99"));
        Map<String, Object> overheadDetails = new LinkedHashMap<>();
        overheadDetails.put("offered_per_s", round(overhead.offeredPerSecond()));
        overheadDetails.put("delivered_per_s", round(overhead.achievedPerSecond()));
        overheadDetails.put("videos", overhead.videos());
        overheadDetails.put("measured", overhead.measured());
        overheadDetails.put("failed", overhead.failed());
        overheadDetails.put("unfinished_at_timeout", overhead.unfinished());
        overheadDetails.put("render_s", plan.renderSeconds());
        overheadDetails.put("hops_ms", hops);
        details.put("overhead", overheadDetails);

        say(
                "gateway: %d updates a second (taps and texts), %d s of warm-up then %d s measured",
                plan.updatesPerSecond(), plan.gatewayWarmUpSeconds(), plan.gatewaySeconds());
        GatewayLatency.Result gateway = new GatewayLatency(system)
                .run(
                        8_000_000_000L,
                        plan.updatesPerSecond(),
                        Duration.ofSeconds(plan.gatewayWarmUpSeconds()),
                        Duration.ofSeconds(plan.gatewaySeconds()));
        result.put("gateway_reply_ms", percentiles(gateway.replyMicros(), 1_000, "p50", "p99"));
        Map<String, Object> gatewayDetails = new LinkedHashMap<>();
        gatewayDetails.put("updates", gateway.updates());
        gatewayDetails.put("taps", gateway.taps());
        gatewayDetails.put("updates_per_s", round(gateway.updatesPerSecond()));
        gatewayDetails.put("unanswered", gateway.unanswered());
        gatewayDetails.put("warm_up_s", plan.gatewayWarmUpSeconds());
        gatewayDetails.put("warm_up_reply_ms", percentiles(gateway.warmUpReplyMicros(), 1_000, "p50", "p99"));
        gatewayDetails.put("warm_up_unanswered", gateway.warmUpUnanswered());
        Map<String, Object> byKind = new LinkedHashMap<>();
        gateway.replyMicrosByKind().forEach((kind, micros) -> {
            Map<String, Object> figures = new LinkedHashMap<>(percentiles(micros, 1_000, "p50", "p99"));
            figures.put("updates", micros.getTotalCount());
            byKind.put(kind, figures);
        });
        gatewayDetails.put("reply_ms_by_kind", byKind);
        List<Map<String, Object>> bySecond = new ArrayList<>();
        gateway.replyMicrosBySecond().forEach((second, micros) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("second", second);
            figures.putAll(percentiles(micros, 1_000, "p50", "p99"));
            bySecond.add(figures);
        });
        gatewayDetails.put("reply_ms_by_second", bySecond);
        gatewayDetails.put("answers_per_update", gateway.answersPerUpdate());
        details.put("gateway", gatewayDetails);

        say("in flight: renders that do not finish, up to %d in the one pipeline", plan.inFlight());
        PipelinePhases.InFlight held = phases.inFlight(
                plan.inFlight(),
                plan.inFlightOfferRate(),
                Duration.ofSeconds(plan.stallSeconds()),
                Duration.ofSeconds(plan.inFlightSeconds()));
        result.put("in_flight_max", held.maxRendering());
        result.put("pipeline_rss_mb_at_max", round(held.pipelineAtMax().rssMb()));
        result.put("pipeline_threads_at_max", held.pipelineAtMax().threads());
        details.put(
                "in_flight",
                Map.of(
                        "target", held.target(),
                        "offered", held.offered(),
                        "stopped", held.stoppedBecause(),
                        "seconds", round(held.seconds()),
                        "pipeline_heap_mb_at_max", round(held.pipelineAtMax().heapUsedMb())));
        return complete;
    }

    private Map<String, String> configuration(Plan plan) {
        StringJoiner keys = new StringJoiner(",");
        for (int i = 1; i <= plan.kieKeys(); i++) {
            keys.add(String.format("bench-kie-key-%04d", i));
        }
        Map<String, String> configuration = new HashMap<>();
        configuration.put("WELCOME_CREDITS", "100000");
        configuration.put("KIE_EMULATOR_KEYS", keys.toString());
        configuration.put("KIE_EMULATOR_CREDITS", String.valueOf(Long.MAX_VALUE / 4));
        // KIE reports each render's end by callback, as in production with KIE_CALLBACK_URL set
        configuration.put("KIE_EMULATOR_RENDER_POLLS", "0");
        configuration.put("KIE_CALLBACK_URL", NeuroCardsSystem.SELF);
        // the production poll schedule and reply wait, not the tests' quicker ones
        configuration.put("NEUROCARDS_PIPELINE_POLL_SCHEDULE", "15s,15s,30s,30s,60s");
        configuration.put("TELEGRAM_REPLY_WAIT", "0s");
        configuration.put("TELEGRAM_GLOBAL_PER_SECOND", String.valueOf(telegramPerSecond));
        configuration.put("DB_POOL_MAX_SIZE", "20");
        configuration.putAll(settings);
        return configuration;
    }

    /** The size of a typical event on the wire: a funded request of five videos with its envelope. */
    private static int eventBytes() {
        return Sellers.typicalEvent().length;
    }

    private static Map<String, Object> percentiles(Histogram histogram, double unitsPerMs, String... names) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : names) {
            double percentile = Double.parseDouble(name.substring(1));
            values.put(
                    name,
                    histogram.getTotalCount() == 0
                            ? null
                            : round(histogram.getValueAtPercentile(percentile) / unitsPerMs));
        }
        return values;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    static void say(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
