package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.bot.BotException;
import com.neurocards.pipeline.bot.BotSender;
import com.neurocards.pipeline.bot.Keyboards;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.notify.Texts;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.message.Message;

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

    public Delivered deliver(JobRef job, String videoUrl) {
        byte[] video = download(videoUrl);
        try {
            if (video != null) {
                try {
                    return sendVideo(job, video);
                } catch (BotException e) {
                    Integer code = e.classification().providerCode();
                    if (code == null || code != 413) {
                        throw e;
                    }
                    LOG.infof("Job %s: Telegram refused the upload as too large; sending a link", job.jobId());
                }
            }
            return sendLink(job, videoUrl);
        } catch (BotException e) {
            if (e.blocked()) {
                LOG.infof("Job %s: the user blocked the bot; the video is undeliverable", job.jobId());
                return new Delivered(DeliveryMode.UNDELIVERABLE, 0, null);
            }
            throw Failures.of(e.classification());
        }
    }

    private Delivered sendVideo(JobRef job, byte[] video) {
        Message sent = bot.send(job.chatId(), client -> client.execute(SendVideo.builder()
                .chatId(String.valueOf(job.chatId()))
                .video(new InputFile(new ByteArrayInputStream(video), "neurocards-" + job.index() + ".mp4"))
                .caption(Texts.get(job.locale(), "video.caption", job.index(), job.total()))
                .supportsStreaming(true)
                .width(720)
                .height(1280)
                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                .build()));
        String fileId = sent.getVideo() != null ? sent.getVideo().getFileId()
                : sent.getDocument() != null ? sent.getDocument().getFileId() : null;
        return new Delivered(DeliveryMode.VIDEO, sent.getMessageId(), fileId);
    }

    private Delivered sendLink(JobRef job, String videoUrl) {
        Message sent = bot.send(job.chatId(), client -> client.execute(SendMessage.builder()
                .chatId(String.valueOf(job.chatId()))
                .text(Texts.get(job.locale(), "video.link", job.index(), job.total(), videoUrl))
                .replyMarkup(Keyboards.underVideo(job.locale(), job.jobId()))
                .build()));
        return new Delivered(DeliveryMode.LINK, sent.getMessageId(), null);
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
