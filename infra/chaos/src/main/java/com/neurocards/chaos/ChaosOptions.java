package com.neurocards.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chaos run does; {@link #parse} reads {@code infra/chaos/run.sh}'s arguments. The defaults are the long run
 * (1,000 videos, two gateways, three pipelines, two billings); {@code --short} is the one the test suite runs (about
 * 100 videos, two gateways, two pipelines, one billing, done within minutes).
 */
public record ChaosOptions(
        int videos,
        int gateways,
        int pipelines,
        int billings,
        int sellersAtOnce,
        double buyerShare,
        Duration killEvery,
        double kieFaultRate,
        Duration telegram429Every,
        boolean cluster,
        String rabbitmqAddresses,
        int clusterNode,
        Duration jobDeadline,
        Duration chaosTail,
        Duration maxDuration,
        long seed,
        Path report) {

    public static final String USAGE = String.join(
            "\n",
            "usage: infra/chaos/run.sh [--short] [options]",
            "  --short                 about 100 videos, 2 gateways, 2 pipelines, 1 billing (the test suite's run)",
            "  --videos N              videos to order, as sellers asking for 1, 3 or 5 each (default 1000)",
            "  --gateways N --pipelines N --billings N   instances of each service (default 2, 3, 2)",
            "  --sellers-at-once N     sellers talking to the bot at the same time (default 40)",
            "  --buyers PERCENT        share of sellers who also buy a credit pack with Telegram Stars (default 10)",
            "  --kill-every SECONDS    kill -9 a random service instance this often, 0 = never (default 20)",
            "  --kie-fault-rate R      share of KIE creates that meet a random fault, 0..1 (default 0.1)",
            "  --telegram-429-every S  inject one Telegram 429 this often, 0 = never (default 3)",
            "  --cluster               stop and restart a broker node with infra/local/cluster.sh (needs the three-node",
            "                          cluster up; services get --rabbitmq-addresses or $RABBITMQ_ADDRESSES)",
            "  --cluster-node N        the node --cluster stops (default 2)",
            "  --job-deadline SECONDS  the pipeline's overall job deadline (default 600; --short 240)",
            "  --max-minutes M         give up waiting for every job to end after this long (default 60; --short 9)",
            "  --seed N                seed of the seller mix, the fault mix and the victims (default 17)",
            "  --report PATH           where the JSON report goes (default infra/chaos/target/chaos-report.json)");

    /** The long run's defaults. */
    public static ChaosOptions defaults() {
        return new ChaosOptions(
                1000,
                2,
                3,
                2,
                40,
                0.10,
                Duration.ofSeconds(20),
                0.10,
                Duration.ofSeconds(3),
                false,
                System.getenv("RABBITMQ_ADDRESSES"),
                2,
                Duration.ofMinutes(10),
                Duration.ofSeconds(45),
                Duration.ofMinutes(60),
                17,
                null);
    }

    /** The test suite's run: about 100 videos on a small system, done within minutes. */
    public static ChaosOptions shortRun() {
        ChaosOptions d = defaults();
        return new ChaosOptions(
                100,
                2,
                2,
                1,
                25,
                d.buyerShare,
                d.killEvery,
                d.kieFaultRate,
                d.telegram429Every,
                false,
                d.rabbitmqAddresses,
                d.clusterNode,
                Duration.ofSeconds(240),
                Duration.ofSeconds(30),
                Duration.ofMinutes(9),
                d.seed,
                null);
    }

    public static ChaosOptions parse(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        Builder b = new Builder(rest.remove("--short") ? shortRun() : defaults());
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--cluster")) {
                b.cluster = true;
                continue;
            }
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("missing value after " + arg + "\n" + USAGE);
            }
            String value = rest.get(++i);
            switch (arg) {
                case "--videos" -> b.videos = positive(arg, value);
                case "--gateways" -> b.gateways = positive(arg, value);
                case "--pipelines" -> b.pipelines = positive(arg, value);
                case "--billings" -> b.billings = positive(arg, value);
                case "--sellers-at-once" -> b.sellersAtOnce = positive(arg, value);
                case "--buyers" -> b.buyerShare = Double.parseDouble(value) / 100;
                case "--kill-every" -> b.killEvery = Duration.ofSeconds(Long.parseLong(value));
                case "--kie-fault-rate" -> b.kieFaultRate = Double.parseDouble(value);
                case "--telegram-429-every" -> b.telegram429Every = Duration.ofSeconds(Long.parseLong(value));
                case "--rabbitmq-addresses" -> b.rabbitmqAddresses = value;
                case "--cluster-node" -> b.clusterNode = positive(arg, value);
                case "--job-deadline" -> b.jobDeadline = Duration.ofSeconds(positive(arg, value));
                case "--max-minutes" -> b.maxDuration = Duration.ofMinutes(positive(arg, value));
                case "--seed" -> b.seed = Long.parseLong(value);
                case "--report" -> b.report = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        if (b.kieFaultRate < 0 || b.kieFaultRate > 1 || b.buyerShare < 0 || b.buyerShare > 1) {
            throw new IllegalArgumentException("--kie-fault-rate is 0..1 and --buyers 0..100\n" + USAGE);
        }
        return b.build();
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1\n" + USAGE);
        }
        return n;
    }

    private static final class Builder {
        int videos, gateways, pipelines, billings, sellersAtOnce, clusterNode;
        double buyerShare, kieFaultRate;
        Duration killEvery, telegram429Every, jobDeadline, chaosTail, maxDuration;
        boolean cluster;
        String rabbitmqAddresses;
        long seed;
        Path report;

        Builder(ChaosOptions o) {
            videos = o.videos;
            gateways = o.gateways;
            pipelines = o.pipelines;
            billings = o.billings;
            sellersAtOnce = o.sellersAtOnce;
            buyerShare = o.buyerShare;
            killEvery = o.killEvery;
            kieFaultRate = o.kieFaultRate;
            telegram429Every = o.telegram429Every;
            cluster = o.cluster;
            rabbitmqAddresses = o.rabbitmqAddresses;
            clusterNode = o.clusterNode;
            jobDeadline = o.jobDeadline;
            chaosTail = o.chaosTail;
            maxDuration = o.maxDuration;
            seed = o.seed;
            report = o.report;
        }

        ChaosOptions build() {
            return new ChaosOptions(
                    videos,
                    gateways,
                    pipelines,
                    billings,
                    sellersAtOnce,
                    buyerShare,
                    killEvery,
                    kieFaultRate,
                    telegram429Every,
                    cluster,
                    rabbitmqAddresses,
                    clusterNode,
                    jobDeadline,
                    chaosTail,
                    maxDuration,
                    seed,
                    report);
        }
    }
}
