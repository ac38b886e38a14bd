package com.neurocards.pipeline.journal;

import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.MessagingConfig;
import com.neurocards.messaging.broker.BrokerConnection;
import com.neurocards.pipeline.config.PipelineConfig;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The event journal: consumes {@code pipeline.journal} — a copy of every message that crosses the broker — and
 * stores it in {@code pipeline.journal}, in batches.
 *
 * <p>Not a {@code StageConsumer}: the stage engine's retries and dead-lettering are for work that may fail; the journal
 * only writes down what it saw. It never dead-letters or drops a message: while the database is away the batch is
 * kept (unacked, so the broker keeps the rest) and tried again with a growing pause. Acks cover a whole stored batch
 * ({@code multiple=true}); a message redelivered after a crash finds its row (unique crossing key) and is stored once.
 * Its own queue and channel, so however far behind it is, the pipeline's stages never wait for it. Dead letters that
 * leave a job stranded are handed to the {@link DeadLetterWatch} once stored.
 */
@ApplicationScoped
public class EventJournal {

    private static final Logger LOG = Logger.getLogger(EventJournal.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private record Received(JournalEntry entry, long deliveryTag) {}

    private final BrokerConnection broker;
    private final JournalRepository repository;
    private final DeadLetterWatch deadLetters;
    private final MessagingConfig messaging;
    private final PipelineConfig.Journal config;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Time between a message entering the broker and its row being stored, for the last stored batch (ms). */
    private final AtomicLong lagMillis = new AtomicLong();

    private volatile boolean running;
    private Channel channel;
    private Thread writer;

    public EventJournal(
            BrokerConnection broker,
            JournalRepository repository,
            DeadLetterWatch deadLetters,
            MessagingConfig messaging,
            PipelineConfig config,
            MeterRegistry registry) {
        this.broker = broker;
        this.repository = repository;
        this.deadLetters = deadLetters;
        this.messaging = messaging;
        this.config = config.journal();
        Gauge.builder("neurocards.journal.lag", lagMillis, lag -> lag.get() / 1000.0)
                .baseUnit("seconds")
                .description("Time from a message entering the broker to its journal row being stored (last batch)")
                .register(registry);
    }

    /** After the messaging lifecycle declared the topology. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 200) StartupEvent event) {
        boolean consumed = messaging
                .consumers()
                .only()
                .map(only -> only.contains(QueueName.PIPELINE_JOURNAL.queueName()))
                .orElse(true);
        if (config.enabled() && messaging.consumers().enabled() && consumed) {
            start();
        }
    }

    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION - 100) ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(this::writeLoop, "event-journal");
        writer.setDaemon(true);
        writer.start();
        try {
            channel = broker.openChannel();
            // enough for two batches in hand: one being stored, one filling
            channel.basicQos(config.batchSize() * 2);
            channel.basicConsume(
                    QueueName.PIPELINE_JOURNAL.queueName(),
                    false,
                    messaging.serviceName() + "/journal",
                    new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(
                                String tag, Envelope amqp, AMQP.BasicProperties properties, byte[] body) {
                            received.add(new Received(
                                    JournalEntry.of(exchangeOf(amqp), amqp.getRoutingKey(), properties, body),
                                    amqp.getDeliveryTag()));
                        }
                    });
            LOG.infof("Journaling %s", QueueName.PIPELINE_JOURNAL);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot consume " + QueueName.PIPELINE_JOURNAL + ": " + e.getMessage(), e);
        }
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        writer.interrupt();
        try {
            writer.join(5_000);
            channel.close(); // whatever was not stored goes back to the queue
        } catch (Exception e) {
            LOG.debugf("Closing the journal consumer: %s", e.toString());
        }
        received.clear(); // their delivery tags died with the channel; the broker delivers them again
    }

    private static String exchangeOf(Envelope amqp) {
        return amqp.getExchange() == null ? "" : amqp.getExchange();
    }

    private void writeLoop() {
        List<Received> batch = new ArrayList<>();
        Duration pause = Duration.ofMillis(500);
        while (running) {
            try {
                if (batch.isEmpty()) {
                    fill(batch);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                List<JournalEntry> entries = batch.stream().map(Received::entry).toList();
                // stored first, then the dead letters among them looked at; both are idempotent, so a batch that
                // failed half-way is simply done again
                repository
                        .store(entries)
                        .chain(() -> deadLetters.look(entries))
                        .await()
                        .atMost(Duration.ofSeconds(30));
                recordLag(batch);
                ack(batch.get(batch.size() - 1).deliveryTag());
                batch.clear();
                pause = Duration.ofMillis(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away: keep the batch, the broker keeps the rest; try again a little later
                LOG.warnf(
                        "Could not store %d journal message(s) (%s); trying again in %s",
                        batch.size(), e.toString(), pause);
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** Waits for a first message, then takes what arrives until the batch is full or the flush interval passed. */
    private void fill(List<Received> batch) throws InterruptedException {
        Received first = received.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + config.flushInterval().toNanos();
        while (batch.size() < config.batchSize()) {
            long left = deadline - System.nanoTime();
            Received next = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : received.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void recordLag(List<Received> batch) {
        Instant now = Instant.now();
        long worst = 0;
        for (Received r : batch) {
            if (r.entry().publishedAt() != null) {
                worst = Math.max(
                        worst, Duration.between(r.entry().publishedAt(), now).toMillis());
            }
        }
        lagMillis.set(worst);
    }

    /** Acks every message up to and including this one: they are stored, in order, by this one thread. */
    private void ack(long lastTag) {
        try {
            channel.basicAck(lastTag, true);
        } catch (IOException | RuntimeException e) {
            // the channel went away: the broker delivers them again, and their rows make the second store a no-op
            LOG.warnf("Journal ack failed (%s); the messages will be stored again, once", e.toString());
        }
    }
}
