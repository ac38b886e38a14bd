package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.bot.Keyboards;
import com.neurocards.pipeline.job.Delivered;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.TelegramFailure;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;

/**
 * Sends a finished video to the user, as {@link VideoDownloader} fetched it: uploaded with {@code sendVideo} (vertical,
 * streaming, caption with the variant number, "make more" and "menu" buttons) with a timeout sized for the file; over
 * Telegram's 50 MB upload cap, a link instead. A user who blocked the bot makes the job undeliverable, not a retry loop.
 *
 * <p>A send either succeeds, certainly fails (a {@link StageException}: Telegram answered with an error, or the send
 * was held back before any call), or may have reached the chat ({@link AnswerLost}: no answer after the call was
 * written, a 502/504, or anything unexpected after the call): the deliver stage counts the last kind against the
 * at-most-twice rule and never fails a job for it.
 */
public class VideoDeliverer {

    private static final Logger LOG = Logger.getLogger(VideoDeliverer.class);

    /** The send may have reached the chat, but no answer said so. Retried (resent) at most once, never refunded. */
    public static final class AnswerLost extends StageException {
        AnswerLost(String message) {
            super(ErrorClass.TEMPORARY, null, message);
        }
    }

    private final BotSender bot;
    private final long minBytesPerSecond;
    private final Duration baseTimeout;

    /**
     * @param minBytesPerSecond the slowest upload still expected to succeed
     * @param baseTimeout       what an upload may take beyond its size at that rate
     */
    public VideoDeliverer(BotSender bot, long minBytesPerSecond, Duration baseTimeout) {
        if (minBytesPerSecond <= 0) {
            throw new IllegalArgumentException("The minimum upload rate must be positive");
        }
        this.bot = bot;
        this.minBytesPerSecond = minBytesPerSecond;
        this.baseTimeout = baseTimeout;
    }

    /** How long the upload of {@code bytes} may take: the base timeout plus the size at the minimum rate. */
    public Duration uploadTimeout(long bytes) {
        return baseTimeout.plusMillis(Math.multiplyExact(bytes, 1000L) / minBytesPerSecond);
    }

    /**
     * @param video the downloaded video, or empty when it is too large to upload (the link is sent)
     * @return how it was delivered; or {@link AnswerLost}, or a {@link StageException} for a send that certainly failed
     */
    public Uni<Delivered> deliver(JobRef job, Optional<byte[]> video, String videoUrl) {
        Uni<Delivered> sent = video.isEmpty()
                ? sendLink(job, videoUrl)
                : sendVideo(job, video.get()).onFailure(TelegramFailure.class).recoverWithUni(failure -> {
                    if (!((TelegramFailure) failure).tooLarge()) {
                        return Uni.createFrom().failure(failure);
                    }
                    LOG.infof("Job %s: Telegram refused the upload as too large; sending a link", job.jobId());
                    return sendLink(job, videoUrl);
                });
        return sent.onFailure().recoverWithUni(failure -> {
            if (failure instanceof TelegramFailure refused) {
                if (refused.mayHaveArrived()) {
                    return Uni.createFrom().failure(new AnswerLost(refused.getMessage()));
                }
                if (refused.blocked()) {
                    LOG.infof("Job %s: the user blocked the bot; the video is undeliverable", job.jobId());
                    return Uni.createFrom().item(new Delivered(DeliveryMode.UNDELIVERABLE, 0, null));
                }
                return Uni.createFrom().failure(Failures.telegram(refused));
            }
            if (failure instanceof StageException) {
                return Uni.createFrom().failure(failure); // held back before the call (the chat is busy)
            }
            return Uni.createFrom()
                    .failure(new AnswerLost("the send broke off unexpectedly: " + Redaction.describe(failure)));
        });
    }

    private Uni<Delivered> sendVideo(JobRef job, byte[] video) {
        return bot.upload(
                        job.chatId(),
                        "sendVideo",
                        uploadTimeout(video.length),
                        client -> client.execute(SendVideo.builder()
                                .chatId(String.valueOf(job.chatId()))
                                .video(new InputFile(
                                        new ByteArrayInputStream(video), "neurocards-" + job.index() + ".mp4"))
                                .caption(ProgressNotifier.TEXTS.get(
                                        job.locale(), "video.caption", job.index(), job.total()))
                                .supportsStreaming(true)
                                .width(720)
                                .height(1280)
                                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                                .build()))
                .map(sent -> {
                    String fileId = sent.getVideo() != null
                            ? sent.getVideo().getFileId()
                            : sent.getDocument() != null ? sent.getDocument().getFileId() : null;
                    return new Delivered(DeliveryMode.VIDEO, sent.getMessageId(), fileId);
                });
    }

    private Uni<Delivered> sendLink(JobRef job, String videoUrl) {
        return bot.send(
                        job.chatId(),
                        "sendMessage",
                        client -> client.execute(SendMessage.builder()
                                .chatId(String.valueOf(job.chatId()))
                                .text(ProgressNotifier.TEXTS.get(
                                        job.locale(), "video.link", job.index(), job.total(), videoUrl))
                                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                                .build()))
                .map(sent -> new Delivered(DeliveryMode.LINK, sent.getMessageId(), null));
    }
}
