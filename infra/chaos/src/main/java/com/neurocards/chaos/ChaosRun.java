package com.neurocards.chaos;

import com.neurocards.contracts.BrokerAddresses;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.PaymentAttempt;
import com.neurocards.harness.NeuroCardsSystem;
import com.neurocards.testing.BrokerEndpoint;
import com.neurocards.testing.LocalServices;
import com.neurocards.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One chaos run: starts the whole system with several instances of each service, sends the sellers of
 * {@link SellerPlan#mix} through the bot while {@link Chaos} and the emulators' faults do their worst, waits until
 * every job has ended, and measures from the database and the Telegram emulator's record of every chat.
 */
public final class ChaosRun {

    /** The nodes {@code infra/local/cluster.sh up} starts with its defaults. */
    static final String DEFAULT_CLUSTER_ADDRESSES = "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683";

    /** Billing's internal-API token for this run (locked as in production). */
    private static final String INTERNAL_TOKEN = ServiceProcess.randomSecret();

    private final ChaosOptions options;
    private final Path home;

    public ChaosRun(ChaosOptions options) {
        this.options = options;
        this.home = NeuroCardsSystem.home();
    }

    /** Where the report goes unless --report says otherwise. */
    public Path reportPath() {
        return options.report() != null
                ? options.report().toAbsolutePath()
                : home.resolve("infra/chaos/target/chaos-report.json");
    }

    /** The configuration the services and the KIE emulator get for a chaos run. */
    Map<String, String> configuration() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("WELCOME_CREDITS", "10"); // a request of 5 Fast videos costs 5: every seller can pay for theirs
        c.put("BILLING_INTERNAL_TOKEN", INTERNAL_TOKEN);
        // three KIE keys: 60 creates per 10 s for the deployment
        c.put("KIE_EMULATOR_KEYS", "kie-chaos-key-0001,kie-chaos-key-0002,kie-chaos-key-0003");
        c.put("KIE_EMULATOR_RENDER_POLLS", "1");
        c.put("KIE_EMULATOR_FAULT_RATE", String.valueOf(options.kieFaultRate()));
        c.put("KIE_EMULATOR_FAULT_SEED", String.valueOf(options.seed()));
        // a render past the deadline fails within a minute, and every job ends within the run
        c.put("NEUROCARDS_PIPELINE_POLL_DEADLINE", "45s");
        c.put("NEUROCARDS_PIPELINE_JOB_DEADLINE", options.jobDeadline().toSeconds() + "s");
        c.put("NEUROCARDS_PIPELINE_SWEEP_JOB_GRACE", "20s");
        c.put("NEUROCARDS_PIPELINE_SWEEP_INTERVAL", "5s");
        c.put(
                "NEUROCARDS_BILLING_REFUND_BACKSTOP_AFTER",
                options.jobDeadline().plusSeconds(60).toSeconds() + "s");
        c.put("NEUROCARDS_BILLING_REFUND_BACKSTOP_INTERVAL", "5s");
        return c;
    }

    /**
     * The broker the system runs on: with {@code --cluster}, the nodes of {@code infra/local/cluster.sh} (its vhost and
     * users are made there, and the services get every node as {@code RABBITMQ_ADDRESSES}), each serving its
     * management API on its AMQP port + 10000 as that script sets them up; else the local broker.
     */
    private BrokerEndpoint broker() {
        if (!options.cluster()) {
            return BrokerEndpoint.local();
        }
        String addresses = options.rabbitmqAddresses() == null
                        || options.rabbitmqAddresses().isBlank()
                ? DEFAULT_CLUSTER_ADDRESSES
                : options.rabbitmqAddresses();
        List<BrokerAddresses.Node> nodes = BrokerAddresses.of(addresses, "127.0.0.1", 5681);
        return BrokerEndpoint.cluster(
                nodes.get(0).host(),
                nodes.stream().map(BrokerAddresses.Node::port).toList(),
                nodes.stream().map(node -> node.port() + 10_000).toList(),
                LocalServices.rabbitUser(),
                LocalServices.rabbitPassword());
    }

    /** Runs everything and returns the report (already written to {@link #reportPath()}). */
    public ChaosReport run() throws Exception {
        long started = System.nanoTime();
        List<SellerPlan> plans = SellerPlan.mix(options.videos(), options.buyerShare(), options.seed());
        log(
                "%d videos from %d sellers; %d gateways, %d pipelines, %d billings; kill every %d s; KIE fault rate %.2f",
                options.videos(),
                plans.size(),
                options.gateways(),
                options.pipelines(),
                options.billings(),
                options.killEvery().toSeconds(),
                options.kieFaultRate());
        NeuroCardsSystem.Scale scale =
                new NeuroCardsSystem.Scale(options.gateways(), options.pipelines(), options.billings());
        try (NeuroCardsSystem system = NeuroCardsSystem.start("chaos", configuration(), scale, broker())) {
            log(
                    "system up in %d s",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            BrokerFault brokerFault = BrokerFault.forRun(options, system.infra.vhost(), home);
            Chaos chaos = new Chaos(system, options, brokerFault);
            chaos.start();
            Thread oneOffs = oneOffFaults(system, chaos);

            List<Seller.Result> results = placeOrders(system, plans);
            long ordered = results.stream()
                    .filter(r -> r.outcome() == Seller.Outcome.CONFIRMED)
                    .mapToInt(r -> r.plan().count())
                    .sum();
            log(
                    "orders placed: %d videos confirmed by %d sellers",
                    ordered,
                    results.stream()
                            .filter(r -> r.outcome() == Seller.Outcome.CONFIRMED)
                            .count());

            // the chaos goes on while the jobs are worked on, until they have all ended (or time is short)
            long deadline = started + options.maxDuration().toNanos();
            awaitEveryJobEnded(system, results, deadline - CALM_END.toNanos(), "the chaos");
            oneOffs.interrupt();
            chaos.stop();
            log("chaos stopped: %d kills, every instance up", chaos.kills.get());

            boolean ended = awaitEveryJobEnded(system, results, deadline, "the run");
            Thread.sleep(5000); // room for a late duplicate video, refund or message to show up
            ChaosReport report = measure(system, chaos, results, ended);
            report.json.put(
                    "duration_s", Duration.ofNanos(System.nanoTime() - started).toSeconds());
            report.json.put("events", new JsonArray(chaos.events));
            report.write(reportPath());
            return report;
        }
    }

    /** How long before the end of --max-minutes the chaos stops, so that the system can finish what it has. */
    static final Duration CALM_END = Duration.ofMinutes(2);

    /**
     * The one-off faults mid-flight: every database connection dropped once 30 % of the planned videos have ended, the
     * broker fault once 60 % have ({@link Chaos#stop()} does them at the end if the run never got that far).
     */
    private Thread oneOffFaults(NeuroCardsSystem system, Chaos chaos) {
        Thread thread = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            Thread.sleep(1000);
                            long ended;
                            try {
                                ended = count(
                                        system,
                                        "SELECT count(*) FROM billing.funded_job f LEFT JOIN"
                                                + " pipeline.job j ON j.job_id = f.job_id WHERE f.refunded_at IS NOT NULL"
                                                + " OR j.status IN ('DELIVERED', 'UNDELIVERABLE')");
                            } catch (SQLException e) {
                                continue; // our own look at the database met the chaos: look again
                            }
                            if (ended >= options.videos() * 0.3) {
                                chaos.dropDatabaseConnections();
                            }
                            if (ended >= options.videos() * 0.6) {
                                chaos.brokerFault();
                                return;
                            }
                        }
                    } catch (InterruptedException e) {
                        // the run is past the chaos
                    }
                },
                "chaos-one-offs");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Sellers talk to the bot, {@code sellersAtOnce} at a time. */
    private List<Seller.Result> placeOrders(NeuroCardsSystem system, List<SellerPlan> plans) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(options.sellersAtOnce());
        try {
            List<Future<Seller.Result>> futures = new ArrayList<>();
            for (SellerPlan plan : plans) {
                futures.add(pool.submit(() -> new Seller(system.telegram, plan).run()));
            }
            List<Seller.Result> results = new ArrayList<>();
            for (Future<Seller.Result> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits (until {@code deadline}) until every job is terminal: every funded job delivered or refunded, no pipeline
     * job on its way, every confirmed request decided by billing, and every chat holds what the database says it was
     * sent. Returns whether that happened in time.
     */
    private boolean awaitEveryJobEnded(
            NeuroCardsSystem system, List<Seller.Result> results, long deadline, String phase) throws Exception {
        String last = "";
        while (System.nanoTime() < deadline) {
            long open, onTheirWay, undecided, chatsBehind;
            try {
                open = count(
                        system,
                        "SELECT count(*) FROM billing.funded_job f LEFT JOIN pipeline.job j"
                                + " ON j.job_id = f.job_id WHERE f.refunded_at IS NULL"
                                + " AND (j.status IS NULL OR j.status NOT IN ('DELIVERED', 'UNDELIVERABLE'))");
                onTheirWay = count(
                        system,
                        "SELECT count(*) FROM pipeline.job WHERE status NOT IN ('DELIVERED', 'UNDELIVERABLE', 'FAILED')");
                undecided = count(
                        system,
                        "SELECT count(*) FROM gateway.generation g LEFT JOIN"
                                + " billing.request_decision d ON d.request_id = g.request_id WHERE d.request_id IS NULL");
                chatsBehind = chatsBehind(system, results);
            } catch (SQLException e) {
                log("cannot look at the database (%s); looking again", e.getMessage());
                Thread.sleep(2000);
                continue;
            }
            String now = "open funded jobs " + open + ", pipeline jobs on their way " + onTheirWay
                    + ", undecided requests " + undecided + ", chats behind " + chatsBehind;
            if (!now.equals(last)) {
                log("%s", now);
                last = now;
            }
            if (open == 0 && onTheirWay == 0 && undecided == 0 && chatsBehind == 0) {
                return true;
            }
            Thread.sleep(2000);
        }
        log("%s is over with jobs or chats left: %s", phase, last);
        return false;
    }

    /** Chats that hold fewer videos than their delivered jobs, or fewer failure notices than their failed refunds. */
    private long chatsBehind(NeuroCardsSystem system, List<Seller.Result> results) throws SQLException {
        Map<Long, PerSeller> perSeller = perSeller(system, results);
        return perSeller.values().stream()
                .filter(p -> p.received < p.deliveredNotRefunded || p.notices < p.failedRefunded)
                .count();
    }

    /** What one seller was funded, delivered, refunded and told. */
    static final class PerSeller {
        int ordered;
        int funded;
        int refunded;
        int delivered;
        int deliveredNotRefunded;
        int failedRefunded;
        int received;
        int notices;
    }

    private Map<Long, PerSeller> perSeller(NeuroCardsSystem system, List<Seller.Result> results) throws SQLException {
        Map<Long, PerSeller> out = new HashMap<>();
        for (Seller.Result r : results) {
            PerSeller p = out.computeIfAbsent(r.plan().userId(), id -> new PerSeller());
            if (r.outcome() == Seller.Outcome.CONFIRMED) {
                p.ordered += r.plan().count();
            }
            for (ChatMessage m : system.telegram.botMessages(r.plan().userId())) {
                if (isVideo(m)) {
                    p.received++;
                } else if (text(m).startsWith("😔")) {
                    p.notices++;
                }
            }
        }
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement("SELECT f.user_id, f.refunded_at IS NOT NULL, j.status"
                        + " FROM billing.funded_job f LEFT JOIN pipeline.job j ON j.job_id = f.job_id");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                PerSeller p = out.computeIfAbsent(rows.getLong(1), id -> new PerSeller());
                boolean refunded = rows.getBoolean(2);
                boolean delivered = "DELIVERED".equals(rows.getString(3));
                p.funded++;
                p.refunded += refunded ? 1 : 0;
                p.delivered += delivered ? 1 : 0;
                p.deliveredNotRefunded += delivered && !refunded ? 1 : 0;
                p.failedRefunded += refunded && !delivered ? 1 : 0;
            }
        }
        return out;
    }

    private ChaosReport measure(NeuroCardsSystem system, Chaos chaos, List<Seller.Result> results, boolean ended)
            throws Exception {
        ChaosReport report = new ChaosReport();
        Map<Long, PerSeller> perSeller = perSeller(system, results);
        long videos = 0, funded = 0, delivered = 0, received = 0, refunded = 0, lostJobs = 0, duplicates = 0;
        long notToldOnce = 0;
        JsonArray troubled = new JsonArray();
        for (Map.Entry<Long, PerSeller> entry : perSeller.entrySet()) {
            PerSeller p = entry.getValue();
            if (p.received != p.deliveredNotRefunded || p.notices != p.failedRefunded || p.funded != p.ordered) {
                JsonArray captions = new JsonArray();
                for (ChatMessage m : system.telegram.botMessages(entry.getKey())) {
                    if (isVideo(m) || text(m).startsWith("😔")) {
                        captions.add(m.messageId() + " " + (isVideo(m) ? "video" : "notice") + ": "
                                + text(m).lines().findFirst().orElse(""));
                    }
                }
                troubled.add(new JsonObject()
                        .put("user", entry.getKey())
                        .put("ordered", p.ordered)
                        .put("funded", p.funded)
                        .put("delivered", p.delivered)
                        .put("refunded", p.refunded)
                        .put("videos_received", p.received)
                        .put("failure_notices", p.notices)
                        .put("messages", captions));
            }
        }
        for (PerSeller p : perSeller.values()) {
            videos += p.ordered;
            funded += p.funded;
            delivered += p.delivered;
            received += p.received;
            refunded += p.refunded;
            // a funded video the seller neither received nor got back
            lostJobs += Math.max(0, p.funded - p.refunded - Math.min(p.received, p.deliveredNotRefunded));
            duplicates += Math.max(0, p.received - p.delivered);
            notToldOnce += Math.abs(p.notices - p.failedRefunded);
        }
        // confirmed videos billing never decided on (funded or rejected): the request itself went missing
        long undecidedVideos = count(
                system,
                "SELECT COALESCE(sum(g.video_count), 0) FROM gateway.generation g"
                        + " LEFT JOIN billing.request_decision d ON d.request_id = g.request_id WHERE d.request_id IS NULL");
        Set<Long> withRequest = new HashSet<>(longs(system, "SELECT DISTINCT user_id FROM gateway.generation"));
        long confirmedWithoutRequest = results.stream()
                .filter(r -> r.outcome() == Seller.Outcome.CONFIRMED
                        && !withRequest.contains(r.plan().userId()))
                .mapToLong(r -> r.plan().count())
                .sum();
        long rejectedVideos = count(
                system,
                "SELECT COALESCE(sum(g.video_count), 0) FROM gateway.generation g"
                        + " JOIN billing.request_decision d ON d.request_id = g.request_id WHERE d.outcome = 'REJECTED'");
        long lost = lostJobs + undecidedVideos + confirmedWithoutRequest;
        long doubleDebits = count(
                system,
                "SELECT COALESCE(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM"
                        + " billing.ledger_entry WHERE kind = 'DEBIT' GROUP BY request_id HAVING count(*) > 1) x");
        long doubleRefunds = count(
                system,
                "SELECT COALESCE(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM"
                        + " billing.ledger_entry WHERE kind = 'REFUND' GROUP BY job_id HAVING count(*) > 1) x");
        long failedNotRefunded = count(
                system,
                "SELECT count(*) FROM pipeline.job j JOIN billing.funded_job f"
                        + " ON f.job_id = j.job_id WHERE j.status IN ('FAILED', 'UNDELIVERABLE') AND f.refunded_at IS NULL");
        long deliveredAndRefunded = count(
                system,
                "SELECT count(*) FROM pipeline.job j JOIN billing.funded_job f"
                        + " ON f.job_id = j.job_id WHERE j.status = 'DELIVERED' AND f.refunded_at IS NOT NULL");
        List<String> conservation = conservationViolations(system);
        JsonObject failedByClass = new JsonObject();
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement("SELECT COALESCE(error_class, '?'), count(*) FROM pipeline.job"
                        + " WHERE status IN ('FAILED', 'UNDELIVERABLE') GROUP BY 1 ORDER BY 1");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                failedByClass.put(rows.getString(1), rows.getLong(2));
            }
        }

        // payments: every Stars payment Telegram took is credited exactly once, and nothing else is
        Map<String, Long> topUps = new HashMap<>();
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement("SELECT charge_id, count(*) FROM billing.ledger_entry"
                        + " WHERE kind = 'TOPUP' GROUP BY charge_id");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                topUps.put(rows.getString(1), rows.getLong(2));
            }
        }
        Set<String> paid = new HashSet<>();
        Map<String, Long> paymentEnds = new LinkedHashMap<>();
        for (Seller.Result r : results) {
            if (!r.plan().buys()) {
                continue;
            }
            for (PaymentAttempt attempt : system.telegram.payments(r.plan().userId())) {
                paymentEnds.merge(attempt.status().name().toLowerCase(), 1L, Long::sum);
                if (attempt.status() == PaymentAttempt.Status.PAID) {
                    paid.add(attempt.telegramPaymentChargeId());
                }
            }
        }
        long notCreditedOnce = 0;
        for (String charge : paid) {
            notCreditedOnce += topUps.getOrDefault(charge, 0L) == 1 ? 0 : 1;
        }
        for (String charge : topUps.keySet()) {
            notCreditedOnce += paid.contains(charge) ? 0 : 1;
        }

        Map<String, Long> kie = system.kie.injectedFaults();
        long kieTotal = kie.values().stream().mapToLong(Long::longValue).sum();
        long telegram429 = system.telegram.calls().stream()
                .filter(call -> call.status() == 429)
                .count();
        JsonObject faults = new JsonObject()
                .put("kie", new JsonObject(new LinkedHashMap<>(kie)))
                .put("kie_total", kieTotal)
                .put("kie_creates", system.kie.creates().size())
                .put("telegram_429", telegram429)
                .put("instance_kills", chaos.kills.get())
                .put("instance_restarts", chaos.restarts.get())
                .put("kills_skipped_while_one_was_down", chaos.skippedKills.get())
                .put("database_connection_drops", chaos.databaseConnectionsDropped >= 0 ? 1 : 0)
                .put("database_connections_dropped", Math.max(0, chaos.databaseConnectionsDropped))
                .put(BrokerFault.forRun(options, system.infra.vhost(), home).name(), chaos.brokerFaults.get());
        String brokerNodeStep = options.cluster()
                ? String.valueOf(chaos.brokerOutcome)
                : BrokerFault.forRun(options, system.infra.vhost(), home).skipped();

        long confirmedSellers = results.stream()
                .filter(r -> r.outcome() == Seller.Outcome.CONFIRMED)
                .count();
        JsonArray abandoned = new JsonArray();
        results.stream()
                .filter(r -> r.outcome() == Seller.Outcome.ABANDONED)
                .forEach(r -> abandoned.add("seller " + r.plan().index() + " at " + r.abandonedAt()));

        report.json
                .put("videos", videos)
                .put("funded", funded)
                .put("delivered", delivered)
                .put("videos_received", received)
                .put("refunded", refunded)
                .put("rejected", rejectedVideos)
                .put("lost", lost)
                .put("double_debits", doubleDebits)
                .put("double_refunds", doubleRefunds)
                .put("duplicate_videos", duplicates)
                .put("delivered_and_refunded", deliveredAndRefunded)
                .put("failed_not_refunded", failedNotRefunded)
                .put("failed_not_told_once", notToldOnce)
                .put("failed_by_class", failedByClass)
                .put("chats_that_differ", troubled)
                .put(
                        "payments",
                        new JsonObject()
                                .put("attempts", new JsonObject(new LinkedHashMap<>(paymentEnds)))
                                .put("paid", paid.size())
                                .put(
                                        "credited",
                                        topUps.values().stream()
                                                .mapToLong(Long::longValue)
                                                .sum())
                                .put("not_credited_once", notCreditedOnce))
                .put("faults_injected", faults)
                .put("broker_fault", String.valueOf(chaos.brokerOutcome))
                .put("broker_node_stop", brokerNodeStep)
                .put("conservation_ok", conservation.isEmpty())
                .put("conservation_violations", new JsonArray(conservation))
                .put("every_job_ended", ended)
                .put(
                        "sellers",
                        new JsonObject()
                                .put("planned", results.size())
                                .put("confirmed", confirmedSellers)
                                .put("gave_up", abandoned.size())
                                .put("gave_up_at", abandoned))
                .put(
                        "instances",
                        new JsonObject()
                                .put("gateways", options.gateways())
                                .put("pipelines", options.pipelines())
                                .put("billings", options.billings()))
                .put(
                        "options",
                        new JsonObject()
                                .put("videos_planned", options.videos())
                                .put("kill_every_s", options.killEvery().toSeconds())
                                .put("kie_fault_rate", options.kieFaultRate())
                                .put(
                                        "telegram_429_every_s",
                                        options.telegram429Every().toSeconds())
                                .put("cluster", options.cluster())
                                .put("seed", options.seed()));

        report.check("every job ended in time", ended ? 0 : 1, "0", ended);
        report.check("videos lost", lost, "0", lost == 0);
        report.check("requests double-debited", doubleDebits, "0", doubleDebits == 0);
        report.check("jobs double-refunded", doubleRefunds, "0", doubleRefunds == 0);
        long allowedDuplicates = delivered / 1000; // 0.1 % of the delivered videos
        report.check(
                "duplicate videos",
                duplicates,
                "<= " + allowedDuplicates + " (0.1 %)",
                duplicates <= allowedDuplicates);
        report.check("failed videos not refunded", failedNotRefunded, "0", failedNotRefunded == 0);
        report.check("failed videos not told exactly once", notToldOnce, "0", notToldOnce == 0);
        report.check("conservation violations", conservation.size(), "0", conservation.isEmpty());
        report.check("payments not credited exactly once", notCreditedOnce, "0", notCreditedOnce == 0);
        // the run proves something only when the chaos really happened
        report.check("KIE faults injected", kieTotal, "> 0", options.kieFaultRate() == 0 || kieTotal > 0);
        report.check(
                "Telegram 429s answered",
                telegram429,
                "> 0",
                options.telegram429Every().isZero() || telegram429 > 0);
        report.check(
                "instances killed",
                chaos.kills.get(),
                "> 0",
                options.killEvery().isZero() || chaos.kills.get() > 0);
        report.check(
                "instances that did not come back", chaos.failedRestarts.get(), "0", chaos.failedRestarts.get() == 0);
        report.check(
                "database connection drops",
                chaos.databaseConnectionsDropped >= 0 ? 1 : 0,
                "1",
                chaos.databaseConnectionsDropped >= 0);
        report.check("broker faults", chaos.brokerFaults.get(), "1", chaos.brokerFaults.get() == 1);
        report.check("paid Stars payments", paid.size(), "> 0", options.buyerShare() == 0 || !paid.isEmpty());
        return report;
    }

    /** Every violation billing's shipped conservation query (billing/…/sql/conservation-check.sql) reports. */
    private List<String> conservationViolations(NeuroCardsSystem system) throws Exception {
        String sql = Files.readString(
                home.resolve("billing/src/main/resources/sql/conservation-check.sql"), StandardCharsets.UTF_8);
        List<String> violations = new ArrayList<>();
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                violations.add(rows.getString(1) + ": " + rows.getString(2) + " (" + rows.getString(3) + ")");
            }
        }
        return violations;
    }

    private static long count(NeuroCardsSystem system, String sql) throws SQLException {
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rows = s.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private static List<Long> longs(NeuroCardsSystem system, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = system.infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                out.add(rows.getLong(1));
            }
        }
        return out;
    }

    static boolean isVideo(ChatMessage message) {
        return message.json().containsKey("video") || message.json().containsKey("document");
    }

    static String text(ChatMessage message) {
        String text = message.json().getString("text");
        if (text == null) {
            text = message.json().getString("caption");
        }
        return text == null ? "" : text;
    }

    static void log(String format, Object... args) {
        System.out.printf("[chaos] " + format + "%n", args);
    }
}
