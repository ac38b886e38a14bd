package com.neurocards.bench;

import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.kie.KieTask;
import com.neurocards.harness.NeuroCardsSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/** The benchmark's phases that run videos through billing and the pipeline. */
final class PipelinePhases {

    /** A realistic mix of request sizes and templates (most sellers ask for several videos). */
    private static final int[] SIZES = {5, 3, 1, 5, 3, 5, 1, 3};

    private static final Template[] TEMPLATES = {Template.UGC, Template.AD, Template.UGC, Template.SELF};

    private static final java.util.Set<String> ENDED_WITHOUT_VIDEO = java.util.Set.of("FAILED", "UNDELIVERABLE");

    private final NeuroCardsSystem system;
    private final Sellers sellers;
    private final Db db;
    private final BrokerStats broker;

    PipelinePhases(NeuroCardsSystem system, Sellers sellers) {
        this.system = system;
        this.sellers = sellers;
        this.db = new Db(system);
        this.broker = new BrokerStats(system.infra.vhost().name());
    }

    record Throughput(
            int offered,
            long delivered,
            long failed,
            double seconds,
            double videosPerSecond,
            double messagesPerVideo,
            double acksPerVideo,
            double commitsPerVideo,
            java.util.Map<String, Double> cpuMsPerVideo,
            ProcessStats pipeline,
            List<java.util.Map<String, Long>> timeline,
            java.util.Map<String, Double> telegramCallsPerVideo) {}

    /**
     * {@code videos} videos in requests of the usual mix, all offered at once (as fast as the broker confirms them)
     * with renders that finish at once: videos delivered per second, from the first offer to the last delivery.
     */
    Throughput throughput(int videos, Duration timeout) throws InterruptedException {
        system.kie.settings().renderTime(Duration.ZERO);
        List<Integer> sizes = new ArrayList<>();
        for (int total = 0, i = 0; total < videos; i++) {
            int size = Math.min(SIZES[i % SIZES.length], videos - total);
            sizes.add(size);
            total += size;
        }
        List<Sellers.Seller> enrolled = sellers.enroll(sizes.size());
        sellers.awaitAnswered(enrolled, timeout);
        quiet(); // the broker's counts are current
        BrokerStats.Counts before = broker.counts();
        double commitsBefore = db.commits();
        CpuTime cpu = new CpuTime(
                java.util.Map.of(
                        "billing", system.billing.pid(),
                        "pipeline", system.pipeline.pid(),
                        "gateway", system.gateway.pid()),
                com.neurocards.testing.LocalServices.rabbitPort(),
                com.neurocards.testing.LocalServices.dbPort());
        java.util.Map<String, Double> cpuBefore = cpu.read();
        long deliveredBefore = db.delivered();
        long failedBefore = db.failed();
        int callsBefore = system.telegram.calls().size();
        Instant start = Instant.now();
        for (int i = 0; i < sizes.size(); i++) {
            sellers.offer(enrolled.get(i), sizes.get(i), TEMPLATES[i % TEMPLATES.length]);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (db.delivered() - deliveredBefore + db.failed() - failedBefore < videos && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        java.util.Map<String, Double> cpuAfter = cpu.read();
        ProcessStats pipeline = ProcessStats.of(system.pipeline.pid(), system.pipeline.baseUrl());
        long delivered = db.delivered() - deliveredBefore;
        long failed = db.failed() - failedBefore;
        double seconds = db.number(
                "SELECT extract(epoch FROM max(delivered_at)) - ? FROM pipeline.job WHERE delivered_at >= to_timestamp(?)",
                epochSeconds(start),
                epochSeconds(start));
        quiet();
        BrokerStats.Counts carried = broker.counts().minus(before);
        double commits = db.commits() - commitsBefore;
        return new Throughput(
                videos,
                delivered,
                failed,
                seconds,
                seconds > 0 ? delivered / seconds : 0,
                delivered > 0 ? (double) carried.published() / delivered : 0,
                delivered > 0 ? (double) carried.acknowledged() / delivered : 0,
                delivered > 0 ? commits / delivered : 0,
                CpuTime.perUnit(cpuBefore, cpuAfter, Math.max(1, delivered), 1000),
                pipeline,
                db.timeline(epochSeconds(start)),
                perVideo(system.telegram.calls(), callsBefore, Math.max(1, delivered)));
    }

    /** The Bot API calls made since the {@code from}-th, by method, per video (answered or refused alike). */
    private static java.util.Map<String, Double> perVideo(
            List<com.neurocards.emulators.telegram.RecordedCall> calls, int from, long videos) {
        java.util.Map<String, Double> perVideo = new java.util.TreeMap<>();
        for (com.neurocards.emulators.telegram.RecordedCall call : calls.subList(from, calls.size())) {
            perVideo.merge(call.method(), 1.0, Double::sum);
        }
        perVideo.replaceAll((method, count) -> Math.round(count * 100.0 / videos) / 100.0);
        return perVideo;
    }

    record Overhead(
            double offeredPerSecond,
            int videos,
            long measured,
            long failed,
            long unfinished,
            double achievedPerSecond,
            Histogram overheadMs,
            Histogram fundedToJobMs,
            Histogram jobToSubmittedMs,
            Histogram renderEndToReadyMs,
            Histogram readyToDeliveredMs) {}

    /**
     * One-video requests offered at {@code perSecond} for {@code duration}, each rendered in {@code render}: for every
     * delivered video, (funded → delivered) minus its render time as KIE measured it, and where that time went.
     */
    Overhead overhead(double perSecond, Duration duration, Duration render, Duration timeout)
            throws InterruptedException {
        system.kie.settings().renderTime(render);
        int videos = (int) Math.round(perSecond * duration.toSeconds());
        // One seller per request, as sellers are: a request fills its chat with about four messages a second apart
        // (progress message, its edit, the video, the edit that says it arrived), and Telegram allows about one a
        // second per chat. A seller asking again every few seconds would queue each video behind the previous
        // requests' messages, and the figure would be that queue, not what the services add. The bot answers every
        // photo before the phase.
        List<Sellers.Seller> pool = sellers.enroll(Math.max(1, videos));
        sellers.awaitAnswered(pool, timeout);
        quiet();
        List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService offering = Executors.newSingleThreadScheduledExecutor();
        Instant start = Instant.now();
        offering.scheduleAtFixedRate(
                () -> {
                    int i = next.getAndIncrement();
                    if (i < videos) {
                        requests.add(sellers.offer(pool.get(i), 1, TEMPLATES[i % TEMPLATES.length]));
                    }
                },
                0,
                Math.max(1, Math.round(1_000_000 / perSecond)),
                TimeUnit.MICROSECONDS);
        while (next.get() < videos) {
            Thread.sleep(50);
        }
        offering.shutdown();
        offering.awaitTermination(10, TimeUnit.SECONDS);
        double offeredFor = Duration.between(start, Instant.now()).toNanos() / 1e9;
        waitUntilEnded(requests, timeout);

        Histogram overhead = histogram();
        Histogram fundedToJob = histogram();
        Histogram jobToSubmitted = histogram();
        Histogram renderEndToReady = histogram();
        Histogram readyToDelivered = histogram();
        long failed = 0;
        long unfinished = 0;
        double firstFunded = Double.MAX_VALUE;
        double lastDelivered = 0;
        try (Connection connection = system.infra.database().connect();
                PreparedStatement select = connection.prepareStatement("SELECT j.status, j.kie_task_id,"
                        + " extract(epoch FROM d.created_at) * 1000, extract(epoch FROM j.created_at) * 1000,"
                        + " extract(epoch FROM j.submitted_at) * 1000, extract(epoch FROM j.ready_at) * 1000,"
                        + " extract(epoch FROM j.delivered_at) * 1000"
                        + " FROM pipeline.job j JOIN billing.ledger_entry d"
                        + " ON d.idempotency_key = 'debit:' || j.request_id"
                        + " WHERE j.request_id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("text", requests.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String status = rows.getString(1);
                    if (!"DELIVERED".equals(status)) {
                        if (ENDED_WITHOUT_VIDEO.contains(status)) {
                            failed++;
                        } else {
                            unfinished++;
                        }
                        continue;
                    }
                    KieTask task = system.kie.task(rows.getString(2));
                    double funded = rows.getDouble(3);
                    double job = rows.getDouble(4);
                    double submitted = rows.getDouble(5);
                    double ready = rows.getDouble(6);
                    double delivered = rows.getDouble(7);
                    double renderStart = task.createdAt().toEpochMilli();
                    double renderEnd = task.completedAt().toEpochMilli();
                    record(overhead, (delivered - funded) - (renderEnd - renderStart));
                    record(fundedToJob, job - funded);
                    record(jobToSubmitted, submitted - job);
                    record(renderEndToReady, ready - renderEnd);
                    record(readyToDelivered, delivered - ready);
                    firstFunded = Math.min(firstFunded, funded);
                    lastDelivered = Math.max(lastDelivered, delivered);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the overhead phase's jobs", e);
        }
        long measured = overhead.getTotalCount();
        return new Overhead(
                videos / offeredFor,
                videos,
                measured,
                failed,
                unfinished,
                measured > 0 ? measured / ((lastDelivered - firstFunded) / 1000) : 0,
                overhead,
                fundedToJob,
                jobToSubmitted,
                renderEndToReady,
                readyToDelivered);
    }

    record InFlight(
            int target,
            int offered,
            long maxRendering,
            ProcessStats pipelineAtMax,
            String stoppedBecause,
            double seconds) {}

    /**
     * Renders that never finish during the phase, offered at {@code offerPerSecond} videos a second until
     * {@code target} are rendering at once in the one pipeline instance, or the count stops rising (a limit shows),
     * or {@code timeout} passes: the most held, and the pipeline's memory and threads at that moment.
     */
    InFlight inFlight(int target, double offerPerSecond, Duration stall, Duration timeout) throws InterruptedException {
        system.kie.settings().renderTime(Duration.ofHours(2));
        int requests = (target + 4) / 5;
        List<Sellers.Seller> enrolled = sellers.enroll(requests);
        sellers.awaitAnswered(enrolled, timeout);
        quiet();
        long base = db.rendering();
        AtomicInteger offered = new AtomicInteger();
        ScheduledExecutorService offering = Executors.newSingleThreadScheduledExecutor();
        offering.scheduleAtFixedRate(
                () -> {
                    int i = offered.get() / 5;
                    if (i < requests) {
                        sellers.offer(enrolled.get(i), 5, TEMPLATES[i % TEMPLATES.length]);
                        offered.addAndGet(5);
                    }
                },
                0,
                Math.max(1, Math.round(5_000_000 / offerPerSecond)),
                TimeUnit.MICROSECONDS);
        long start = System.nanoTime();
        long max = 0;
        long lastRise = start;
        ProcessStats atMax = ProcessStats.of(system.pipeline.pid(), system.pipeline.baseUrl());
        String stopped;
        while (true) {
            Thread.sleep(1_000);
            long rendering = db.rendering() - base;
            if (rendering > max) {
                max = rendering;
                lastRise = System.nanoTime();
                atMax = ProcessStats.of(system.pipeline.pid(), system.pipeline.baseUrl());
            }
            if (max >= target) {
                stopped = "reached the target";
                break;
            }
            if (offered.get() >= requests * 5 && System.nanoTime() - lastRise > stall.toNanos()) {
                stopped = "stopped rising for " + stall.toSeconds() + " s with every video offered";
                break;
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                stopped = "the phase's time ran out while still rising";
                break;
            }
        }
        offering.shutdownNow();
        return new InFlight(target, offered.get(), max, atMax, stopped, (System.nanoTime() - start) / 1e9);
    }

    private void waitUntilEnded(List<String> requests, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String[] ids = requests.toArray(String[]::new);
        while (System.nanoTime() < deadline) {
            double[] jobs = db.row(
                    "SELECT count(*) FILTER (WHERE status NOT IN ('DELIVERED', 'FAILED', 'UNDELIVERABLE')), count(*)"
                            + " FROM pipeline.job WHERE request_id = ANY (?)",
                    (Object) ids);
            if (jobs[0] == 0 && jobs[1] >= ids.length) {
                return;
            }
            Thread.sleep(250);
        }
    }

    /** Lets the system settle and the broker's statistics catch up. */
    private static void quiet() throws InterruptedException {
        Thread.sleep(BrokerStats.REFRESH.toMillis());
    }

    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    static Histogram histogram() {
        return new Histogram(3_600_000L, 3);
    }

    private static void record(Histogram histogram, double millis) {
        histogram.recordValue(Math.max(0, Math.round(millis)));
    }
}
