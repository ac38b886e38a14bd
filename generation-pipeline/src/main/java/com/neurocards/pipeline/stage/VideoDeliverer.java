package com.neurocards.pipeline.stage;

import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.pipeline.bot.Keyboards;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.TelegramFailure;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;

/**
 * Sends a finished video to the user, as {@link VideoDownloader} fetched it: uploaded with {@code sendVideo} (vertical,
 * streaming, caption with the variant number, "make more" and "menu" buttons); over Telegram's 50 MB upload cap, a
 * link instead. A user who blocked the bot makes the job undeliverable, not a retry loop.
 */
public class VideoDeliverer {

    private static final Logger LOG = Logger.getLogger(VideoDeliverer.class);

    /** How the video reached the user. */
    public record Delivered(DeliveryMode mode, long messageId, String fileId) {}

    private final BotSender bot;

    public VideoDeliverer(BotSender bot) {
        this.bot = bot;
    }

    /** @param video the downloaded video, or empty when it is too large to upload (the link is sent) */
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
        return sent.onFailure(TelegramFailure.class).recoverWithUni(failure -> {
            TelegramFailure refused = (TelegramFailure) failure;
            if (refused.blocked()) {
                LOG.infof("Job %s: the user blocked the bot; the video is undeliverable", job.jobId());
                return Uni.createFrom().item(new Delivered(DeliveryMode.UNDELIVERABLE, 0, null));
            }
            return Uni.createFrom().failure(Failures.telegram(refused));
        });
    }

    private Uni<Delivered> sendVideo(JobRef job, byte[] video) {
        return bot.send(
                        job.chatId(),
                        "sendVideo",
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
