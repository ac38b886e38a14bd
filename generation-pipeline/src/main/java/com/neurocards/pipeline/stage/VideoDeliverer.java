package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.bot.Keyboards;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.TelegramFailure;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends a finished video to the user: downloaded from KIE right away (result URLs expire) and uploaded with
 * {@code sendVideo} (vertical, streaming, caption with the variant number, "make more" and "menu" buttons); over
 * Telegram's 50 MB upload cap, a link instead. A user who blocked the bot makes the job undeliverable, not a retry loop.
 */
public class VideoDeliverer {

    private static final Logger LOG = Logger.getLogger(VideoDeliverer.class);

    /** How the video reached the user. */
    public record Delivered(DeliveryMode mode, long messageId, String fileId) {
    }

    private final BotSender bot;
    private final HttpClient http;
    private final long maxUploadBytes;
    private final Duration downloadTimeout;

    public VideoDeliverer(BotSender bot, long maxUploadBytes, Duration downloadTimeout) {
        this.bot = bot;
        this.maxUploadBytes = maxUploadBytes;
        this.downloadTimeout = downloadTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public Uni<Delivered> deliver(JobRef job, String videoUrl) {
        return Blocking.call(() -> download(videoUrl))
                .chain(video -> video == null ? sendLink(job, videoUrl) : sendVideo(job, video)
                        .onFailure(TelegramFailure.class).recoverWithUni(failure -> {
                            if (!((TelegramFailure) failure).tooLarge()) {
                                return Uni.createFrom().failure(failure);
                            }
                            LOG.infof("Job %s: Telegram refused the upload as too large; sending a link", job.jobId());
                            return sendLink(job, videoUrl);
                        }))
                .onFailure(TelegramFailure.class).recoverWithUni(failure -> {
                    TelegramFailure refused = (TelegramFailure) failure;
                    if (refused.blocked()) {
                        LOG.infof("Job %s: the user blocked the bot; the video is undeliverable", job.jobId());
                        return Uni.createFrom().item(new Delivered(DeliveryMode.UNDELIVERABLE, 0, null));
                    }
                    return Uni.createFrom().failure(Failures.telegram(refused));
                });
    }

    private Uni<Delivered> sendVideo(JobRef job, byte[] video) {
        return bot.send(job.chatId(), "sendVideo", client -> client.execute(SendVideo.builder()
                .chatId(String.valueOf(job.chatId()))
                .video(new InputFile(new ByteArrayInputStream(video), "neurocards-" + job.index() + ".mp4"))
                .caption(ProgressNotifier.TEXTS.get(job.locale(), "video.caption", job.index(), job.total()))
                .supportsStreaming(true)
                .width(720)
                .height(1280)
                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                .build())).map(sent -> {
                    String fileId = sent.getVideo() != null ? sent.getVideo().getFileId()
                            : sent.getDocument() != null ? sent.getDocument().getFileId() : null;
                    return new Delivered(DeliveryMode.VIDEO, sent.getMessageId(), fileId);
                });
    }

    private Uni<Delivered> sendLink(JobRef job, String videoUrl) {
        return bot.send(job.chatId(), "sendMessage", client -> client.execute(SendMessage.builder()
                .chatId(String.valueOf(job.chatId()))
                .text(ProgressNotifier.TEXTS.get(job.locale(), "video.link", job.index(), job.total(), videoUrl))
                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                .build())).map(sent -> new Delivered(DeliveryMode.LINK, sent.getMessageId(), null));
    }

    /** The video's bytes, or {@code null} when it is larger than Telegram lets a bot upload. */
    byte[] download(String videoUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(videoUrl)).timeout(downloadTimeout)
                .header("User-Agent", "Mozilla/5.0 (compatible; NeuroCards/1.0)").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw Failures.of(ErrorClassifier.network("KIE result host", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.of(ErrorClassifier.network("KIE result host", e));
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status != 200) {
                throw status >= 500 || status == 429
                        ? Failures.of(ErrorClassifier.kieHttp(status))
                        : new StageException(ErrorClass.UNKNOWN, status, "the rendered video is gone (HTTP " + status + ")");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxUploadBytes) {
                return null;
            }
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
            return bytes.length > maxUploadBytes ? null : bytes;
        } catch (IOException e) {
            throw Failures.of(new Classification(ErrorClass.TEMPORARY, null,
                    "download of the rendered video broke off: " + e.getClass().getSimpleName()));
        }
    }
}
