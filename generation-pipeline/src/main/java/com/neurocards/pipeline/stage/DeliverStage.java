package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.messaging.KeyedLanes;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Delivered;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.telegram.BotSender;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * {@code video.ready} → {@code generation.delivered}: the {@link VideoDownloader} and the {@link VideoDeliverer} on the
 * deliver queue. A result URL the {@link DownloadPolicy} refuses fails the job at once ({@code UNKNOWN}: refunded by
 * billing, the seller told through the usual failure message) and is never sent to the seller, not even as a link.
 *
 * <p>Sending follows the at-most-twice rule (docs/architecture.md): a send is recorded as in flight, and committed,
 * before Telegram is called; a send that may have reached the chat without an answer (or that a crash left in flight)
 * is resent at most once, and after a second such send the job ends {@code DELIVERED} as {@code UNCONFIRMED}, never
 * failed nor refunded. Only sends Telegram certainly refused count towards failing the job. Videos in memory at once
 * are bounded by {@link VideoMemory}.
 */
@ApplicationScoped
public class DeliverStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(DeliverStage.class);
    /** What a job ends with when its video may be in the chat but Telegram never said so. */
    private static final Delivered UNCONFIRMED = new Delivered(DeliveryMode.UNCONFIRMED, 0, null);

    private final VideoDownloader downloader;
    private final VideoDeliverer deliverer;
    private final VideoMemory memory;
    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Replays replays;
    private final int prefetch;
    /** Each chat's videos, one at a time ({@link #handle}). */
    private final KeyedLanes<Long> chats = new KeyedLanes<>();
    /**
     * Sends Telegram answered whose answer the database did not take (its connection lost): the next try in this
     * instance records the delivery from here instead of sending the video again. Removed once recorded.
     */
    private final ConcurrentMap<String, Delivered> answeredNotRecorded = new ConcurrentHashMap<>();

    public DeliverStage(
            BotSender bot,
            Vertx vertx,
            PipelineConfig config,
            JobRepository jobs,
            JobEvents jobEvents,
            Outbox outbox,
            Transactions transactions,
            MeterRegistry registry) {
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
        this.deliverer = new VideoDeliverer(
                bot,
                config.deliver().uploadMinBytesPerSecond(),
                config.deliver().uploadBaseTimeout());
        this.memory = new VideoMemory(
                config.deliver().memoryBudget(), config.deliver().maxUploadBytes(), registry);
        LOG.infof(
                "Up to %d videos in memory at once (budget %d bytes); a 50 MB upload may take %s",
                memory.videos(),
                config.deliver().memoryBudget(),
                deliverer.uploadTimeout(config.deliver().maxUploadBytes()));
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.replays = new Replays(jobs, transactions);
        this.prefetch = config.deliver().prefetch();
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_DELIVER;
    }

    @Override
    public int prefetch() {
        return prefetch;
    }

    /** The budget of videos in memory (for tests and the log). */
    public VideoMemory memory() {
        return memory;
    }

    /**
     * One video per chat at a time in this instance: the chat takes a message a second anyway, and the videos behind
     * wait here holding no memory (not downloaded yet), thread or connection, while other chats' videos go on. So one
     * job's video is also handled by one try at a time: the same message can come again while its first try is still
     * sending — the broker hands back what was unacked when the connection to it was lost (a RabbitMQ node that went
     * away) — and that copy waits for the send in hand and then looks at the job again (delivered: nothing to do),
     * rather than count a send that is merely slow as one that may have been lost and send once more. A send left in
     * flight by a crashed process is still counted as one that may be in the chat (the at-most-twice rule, decision
     * 0013).
     */
    @Override
    public Uni<Void> handle(Delivery delivery) {
        return chats.run(delivery.payload(VideoReady.class).job().chatId(), () -> handleAlone(delivery));
    }

    private Uni<Void> handleAlone(Delivery delivery) {
        VideoReady ready = delivery.payload(VideoReady.class);
        Uni<?> replayed = Replays.isReplay(delivery)
                ? replays.deliver(delivery, ready)
                : Uni.createFrom().voidItem();
        Delivered answered = answeredNotRecorded.get(ready.job().jobId());
        if (answered != null && !Replays.isReplay(delivery)) {
            LOG.infof(
                    "Job %s: its video reached the chat on an earlier try whose record did not reach the database;"
                            + " recording the delivery, not sending again",
                    ready.job().jobId());
            return finish(delivery, ready, answered);
        }
        return replayed.chain(() -> failIfPastDeadline(delivery, ready))
                .chain(() -> jobs.find(ready.job().jobId()))
                .chain(found -> {
                    if (found.isEmpty() || found.get().status() != JobStatus.READY) {
                        LOG.debugf(
                                "Job %s is %s; not delivering again",
                                ready.job().jobId(),
                                found.map(j -> j.status().name()).orElse("unknown"));
                        answeredNotRecorded.remove(ready.job().jobId());
                        return Uni.createFrom().voidItem();
                    }
                    return memory.reserve().chain(held -> downloadAndSend(delivery, ready, held)
                            .onTermination()
                            .invoke(held::release));
                });
    }

    /**
     * A job past its overall deadline is never sent: it fails ({@code TIMEOUT}, refunded), so a late delivery can never
     * follow the sweep's refund (docs/architecture.md#every-funded-job-ends) — unless an earlier send may already be in
     * the chat, when it ends delivered, unconfirmed, as the at-most-twice rule says (never refunded).
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

    private Uni<Void> downloadAndSend(Delivery delivery, VideoReady ready, VideoMemory.Held held) {
        String jobId = ready.job().jobId();
        return downloader
                .download(ready.videoUrl())
                .invoke(video ->
                        held.shrinkTo(video.map(bytes -> (long) bytes.length).orElse(0L)))
                .onFailure(DownloadPolicy.Refused.class)
                .invoke(refused -> LOG.warnf(
                        "Job %s: %s; the job fails (refunded, the seller told) and the URL is never sent",
                        jobId, refused.getMessage()))
                .chain(video -> jobs.startSend(jobId, uploadTime(video)).chain(start -> {
                    if (start.isEmpty()) {
                        LOG.debugf("Job %s ended while its video was downloaded; not sending", jobId);
                        return Uni.createFrom().voidItem();
                    }
                    if (start.get().othersSendFor().isPresent()) {
                        Duration others = start.get().othersSendFor().get();
                        LOG.infof(
                                "Job %s: another try (another instance, whose broker connection was lost) started"
                                        + " sending its video and may take %s more; looking again then, not sending"
                                        + " beside it",
                                jobId, others);
                        return Uni.createFrom()
                                .failure(StageException.paced(
                                        "another try is sending this video", others.plusSeconds(1), null));
                    }
                    if (start.get().sent().isPresent()) {
                        LOG.infof(
                                "Job %s: its video reached the chat on an earlier try (Telegram's answer recorded);"
                                        + " recording the delivery, not sending again",
                                jobId);
                        return finish(delivery, ready, start.get().sent().get());
                    }
                    if (!start.get().started()) {
                        LOG.warnf(
                                "Job %s: two sends may have reached the chat without an answer; not sending again, "
                                        + "the job ends delivered, unconfirmed (no refund)",
                                jobId);
                        return finish(delivery, ready, UNCONFIRMED);
                    }
                    if (start.get().uncertainSends() > 0) {
                        LOG.infof(
                                "Job %s: an earlier send may have reached the chat without an answer; sending once "
                                        + "more, the last time",
                                jobId);
                    }
                    int attempt = start.get().attempt();
                    return deliverer
                            .deliver(ready.job(), video, ready.videoUrl())
                            .onFailure(failure -> !(failure instanceof VideoDeliverer.AnswerLost))
                            .call(certain -> jobs.sendFailed(jobId, attempt))
                            .onFailure(VideoDeliverer.AnswerLost.class)
                            .recoverWithUni(lost -> afterLostAnswer(jobId, attempt, (VideoDeliverer.AnswerLost) lost))
                            .call(sent -> recordAnswer(jobId, attempt, sent))
                            .chain(sent -> finish(delivery, ready, sent));
                }));
    }

    /** The longest sending this video may take: its upload timeout, or a link's call when it is too large to upload. */
    private Duration uploadTime(Optional<byte[]> video) {
        return deliverer.uploadTimeout(video.map(bytes -> (long) bytes.length).orElse(0L));
    }

    /**
     * Send {@code attempt} may have reached the chat: the second such send ends the job as {@link #UNCONFIRMED};
     * after the first, the failure goes round a delay tier and the video is sent once more.
     */
    private Uni<Delivered> afterLostAnswer(String jobId, int attempt, VideoDeliverer.AnswerLost lost) {
        return jobs.sendLost(jobId, attempt).chain(uncertain -> {
            if (uncertain.isPresent() && uncertain.get() >= 2) {
                LOG.warnf(
                        "Job %s: the second send may have reached the chat too (%s); the job ends delivered, "
                                + "unconfirmed (no refund)",
                        jobId, lost.getMessage());
                return Uni.createFrom().item(UNCONFIRMED);
            }
            LOG.warnf(
                    "Job %s: %s; the video may be in the chat, it is sent once more at most and never refunded",
                    jobId, lost.getMessage());
            return Uni.createFrom().failure(lost);
        });
    }

    /**
     * Telegram's answer, recorded the moment it arrives and before anything else (decision 0013): the delivery's own
     * transaction comes next, but a crash or a lost connection before it commits must not make the next try send the
     * video again. Should the database not take it, this instance keeps it for its next try.
     */
    private Uni<Void> recordAnswer(String jobId, int attempt, Delivered sent) {
        if (sent.mode() == DeliveryMode.UNCONFIRMED) {
            return Uni.createFrom().voidItem(); // nothing answered: the at-most-twice counts already say so
        }
        answeredNotRecorded.put(jobId, sent);
        return jobs.sent(jobId, attempt, sent)
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "Job %s: its video reached the chat but the database did not take Telegram's answer (%s);"
                                + " this instance records the delivery on the next try without sending again",
                        jobId, Redaction.describe(failure)))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> finish(Delivery delivery, VideoReady ready, Delivered sent) {
        String jobId = ready.job().jobId();
        return transactions
                .processOnce(delivery, tx -> record(tx, delivery.envelope(), ready.job(), sent))
                .invoke(() -> answeredNotRecorded.remove(jobId, sent))
                .replaceWithVoid();
    }

    private Uni<Void> record(SqlConnection tx, Envelope<?> cause, JobRef job, Delivered sent) {
        return jobEvents.delivered(tx, cause, job, sent.mode(), sent.messageId(), sent.fileId());
    }

    @Override
    public Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        if (failure.errorClass() == ErrorClass.RATE_LIMIT) {
            return Uni.createFrom().voidItem(); // the chat is rate-limited: an extra progress edit would only add to it
        }
        if (failure instanceof VideoDeliverer.AnswerLost) {
            return Uni.createFrom().voidItem(); // the video may be in the chat already: no "retrying" to the seller
        }
        return jobEvents.retrying(
                delivery.envelope(), delivery.payload(VideoReady.class).job(), Stage.DELIVER, failure, nextAttempt);
    }

    /**
     * The job fails (refunded) — or, when its video may be in the chat (a send without an answer, or one still in
     * flight), ends DELIVERED as {@code UNCONFIRMED}: {@link JobEvents#fail} keeps that rule for every stage.
     */
    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        JobRef job = delivery.payload(VideoReady.class).job();
        return jobEvents.failNow(
                delivery.envelope(), job, Stage.DELIVER, JobEvents.classify(cause), delivery.attempt());
    }
}
