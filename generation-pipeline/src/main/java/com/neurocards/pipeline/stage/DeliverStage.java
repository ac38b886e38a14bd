package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.telegram.BotSender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code video.ready} → {@code generation.delivered}: the {@link VideoDownloader} and the {@link VideoDeliverer} on the
 * deliver queue. A result URL the {@link DownloadPolicy} refuses fails the job at once ({@code UNKNOWN}: refunded by
 * billing, the seller told through the usual failure message) and is never sent to the seller, not even as a link.
 */
@ApplicationScoped
public class DeliverStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(DeliverStage.class);

    private final VideoDownloader downloader;
    private final VideoDeliverer deliverer;
    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Replays replays;
    private final MeterRegistry registry;
    private final Timer endToEnd;

    public DeliverStage(
            BotSender bot,
            Vertx vertx,
            PipelineConfig config,
            JobRepository jobs,
            JobEvents jobEvents,
            Outbox outbox,
            Transactions transactions,
            MeterRegistry registry) {
        this.registry = registry;
        this.endToEnd = Timer.builder("neurocards.pipeline.funded.to.delivered")
                .description("Time from a job being funded to its video delivered")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(10))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
        List<String> allowedHosts = config.deliver().allowedHosts().orElse(List.of());
        if (!allowedHosts.isEmpty()) {
            LOG.infof("Rendered videos may also be downloaded over plain HTTP, on any address, from %s", allowedHosts);
        }
        this.downloader = new VideoDownloader(
                vertx,
                new DownloadPolicy(allowedHosts),
                config.deliver().maxUploadBytes(),
                config.deliver().downloadTimeout(),
                config.deliver().downloadDeadline(),
                config.deliver().maxRedirects());
        this.deliverer = new VideoDeliverer(bot);
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.replays = new Replays(jobs, transactions);
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_DELIVER;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        VideoReady ready = delivery.payload(VideoReady.class);
        Uni<?> replayed = Replays.isReplay(delivery)
                ? replays.deliver(delivery, ready)
                : Uni.createFrom().voidItem();
        return replayed.chain(() -> failIfPastDeadline(delivery, ready))
                .chain(() -> jobs.find(ready.job().jobId()))
                .chain(found -> {
                    if (found.isEmpty() || found.get().status() != JobStatus.READY) {
                        LOG.debugf(
                                "Job %s is %s; not delivering again",
                                ready.job().jobId(),
                                found.map(j -> j.status().name()).orElse("unknown"));
                        return Uni.createFrom().voidItem();
                    }
                    return downloader
                            .download(ready.videoUrl())
                            .onFailure(DownloadPolicy.Refused.class)
                            .invoke(refused -> LOG.warnf(
                                    "Job %s: %s; the job fails (refunded, the seller told) and the URL is never sent",
                                    ready.job().jobId(), refused.getMessage()))
                            .chain(video -> deliverer.deliver(ready.job(), video, ready.videoUrl()))
                            .chain(sent -> transactions.processOnce(delivery, tx -> jobs.markDelivered(
                                            tx, ready.job().jobId(), sent.mode(), sent.messageId(), sent.fileId())
                                    .invoke(marked -> {
                                        if (marked) {
                                            registry.counter(
                                                            "neurocards.pipeline.jobs.delivered",
                                                            "mode",
                                                            sent.mode().name())
                                                    .increment();
                                        }
                                    })
                                    .call(marked -> marked
                                            ? recordEndToEnd(tx, ready.job().jobId())
                                            : Uni.createFrom().voidItem())
                                    .chain(marked -> marked
                                            ? outbox.publish(
                                                    tx,
                                                    Envelope.causedBy(
                                                            delivery.envelope(),
                                                            new GenerationDelivered(
                                                                    ready.job(),
                                                                    sent.messageId(),
                                                                    sent.fileId(),
                                                                    sent.mode())))
                                            : Uni.createFrom().voidItem())))
                            .replaceWithVoid();
                });
    }

    /**
     * A job past its overall deadline is never delivered: it fails ({@code TIMEOUT}, refunded), so a late delivery can
     * never follow the sweep's refund (docs/architecture.md#every-funded-job-ends).
     */
    private Uni<Void> failIfPastDeadline(Delivery delivery, VideoReady ready) {
        return jobs.pastDeadline(ready.job().jobId())
                .chain(past -> past
                        ? jobEvents.failNow(
                                delivery.envelope(),
                                ready.job(),
                                Stage.DELIVER,
                                new Classification(
                                        ErrorClass.TIMEOUT,
                                        null,
                                        "the video was ready only after the job's overall deadline; not delivered"),
                                delivery.attempt())
                        : Uni.createFrom().voidItem());
    }

    /** {@code neurocards_pipeline_funded_to_delivered_seconds}: what a seller waits, per video. */
    private Uni<Void> recordEndToEnd(SqlConnection tx, String jobId) {
        return jobs.fundedToDelivered(tx, jobId)
                .invoke(took -> took.ifPresent(endToEnd::record))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        if (failure.errorClass() == ErrorClass.RATE_LIMIT) {
            return Uni.createFrom().voidItem(); // the chat is rate-limited: an extra progress edit would only add to it
        }
        return jobEvents.retrying(
                delivery.envelope(), delivery.payload(VideoReady.class).job(), Stage.DELIVER, failure, nextAttempt);
    }

    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        return jobEvents.failNow(
                delivery.envelope(),
                delivery.payload(VideoReady.class).job(),
                Stage.DELIVER,
                JobEvents.classify(cause),
                delivery.attempt());
    }
}
