package com.neurocards.load;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.outbox.Outbox;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Pushes events through the messaging hop every stage pays — outbox write in a transaction, relay publishing with
 * confirms, quorum queue, consumer, idempotent transaction, ack — and reports throughput and latency.
 * <pre>infra/load/run.sh [--events 20000] [--batch 50] [--writers 4] [--report target/load-report.md]</pre>
 */
@QuarkusMain
public class LoadMain implements QuarkusApplication {

    @Inject
    Transactions transactions;

    @Inject
    Outbox outbox;

    @Inject
    Pool pool;

    @Override
    public int run(String... args) throws Exception {
        Map<String, String> options = options(args);
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "50"));
        int writers = Integer.parseInt(options.getOrDefault("writers", "4"));
        Path report = Path.of(options.getOrDefault("report", "target/load-report.md"));

        pool.query("TRUNCATE load.hop").execute().await().atMost(Duration.ofSeconds(30));
        System.out.printf(
                "Writing %,d events through the outbox (%d per transaction, %d writers in parallel)...%n",
                events, batch, writers);
        Instant start = Instant.now();
        Multi.createFrom()
                .range(0, (events + batch - 1) / batch)
                .onItem()
                .transformToUni(i -> writeBatch(Math.min(batch, events - i * batch)))
                .merge(writers)
                .collect()
                .last()
                .await()
                .atMost(Duration.ofMinutes(10));
        Duration writing = Duration.between(start, Instant.now());
        System.out.printf(
                "Written in %.2f s; waiting for the probe stage to process them all...%n", writing.toMillis() / 1000.0);

        long processed = 0;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (processed < events && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            processed = pool.query("SELECT count(*) AS n FROM load.hop")
                    .execute()
                    .await()
                    .atMost(Duration.ofSeconds(30))
                    .iterator()
                    .next()
                    .getLong("n");
        }
        Row stats = pool.query(
                        "SELECT count(*) AS n, min(written_at) AS first_written, max(processed_at) AS last_processed,"
                                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - written_at)) AS p50,"
                                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - written_at)) AS p95,"
                                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - written_at)) AS p99,"
                                + " max(extract(epoch FROM processed_at - written_at)) AS worst FROM load.hop")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next();
        long done = stats.getLong("n");
        double seconds = Duration.between(
                                stats.getOffsetDateTime("first_written").toInstant(),
                                stats.getOffsetDateTime("last_processed").toInstant())
                        .toMillis()
                / 1000.0;
        String text = String.format(
                Locale.ROOT,
                """
                # Messaging hop load report

                %s — %,d events, %d per outbox transaction, %d concurrent writers, on %d cores.

                | figure | value |
                |---|---|
                | events processed | %,d of %,d |
                | write phase (outbox transactions) | %.2f s, %,.0f events/s |
                | first write → last processed | %.2f s |
                | end-to-end throughput | %,.0f events/s |
                | latency written → processed, p50 / p95 / p99 / max | %.0f / %.0f / %.0f / %.0f ms |

                Each event crosses: an outbox row written in a transaction, the relay (SKIP LOCKED batch, publish with
                confirms to two quorum queues, mark published), the consumer, an idempotent transaction (processed-message
                row + effect row), the ack. Broker alone on this machine kind
                (docs/outside-services.md#rabbitmq-baseline): quorum queue, persistent, confirms ≈ 8,000–9,800 msg/s.
                """,
                ZonedDateTime.now(),
                events,
                batch,
                writers,
                Runtime.getRuntime().availableProcessors(),
                done,
                events,
                writing.toMillis() / 1000.0,
                events / Math.max(0.001, writing.toMillis() / 1000.0),
                seconds,
                done / Math.max(0.001, seconds),
                stats.getDouble("p50") * 1000,
                stats.getDouble("p95") * 1000,
                stats.getDouble("p99") * 1000,
                stats.getDouble("worst") * 1000);
        System.out.println();
        System.out.println(text);
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(report, text);
        System.out.println("Report written to " + report.toAbsolutePath());
        return done == events ? 0 : 1;
    }

    private Uni<Void> writeBatch(int size) {
        return transactions.inTransaction(tx -> Multi.createFrom()
                .range(0, size)
                .onItem()
                .transformToUniAndConcatenate(i -> outbox.publish(tx, Envelope.of(request())))
                .collect()
                .last()
                .replaceWithVoid());
    }

    private static GenerationRequested request() {
        return new GenerationRequested(
                UUID.randomUUID().toString(),
                42L,
                42L,
                Language.RU,
                new Photo("load-photo", "load-photo-u"),
                "load test product",
                Template.AD,
                "-",
                null,
                1,
                "veo3_fast",
                "9:16");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
