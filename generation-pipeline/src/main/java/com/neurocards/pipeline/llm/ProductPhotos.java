package com.neurocards.pipeline.llm;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Photo;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.telegram.TelegramFiles;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * The seller's product photo for the LLM: downloaded from Telegram (the file URL holds the bot token and never leaves
 * {@link TelegramFiles}) and made a {@code data:} URL. Memory is bounded: at most {@code max-photo-bytes} per photo
 * and {@code concurrency} photos at once, each held until its LLM call ends ({@link Shown#release()}). Whatever goes
 * wrong — too large, gone from Telegram, not an image, no room — the answer is "no photo" and the prompts are written
 * from the text: the photo helps the prompts, it never fails a job.
 */
@ApplicationScoped
public class ProductPhotos {

    private static final Logger LOG = Logger.getLogger(ProductPhotos.class);

    /** A photo as the LLM gets it; {@link #release()} gives its room back (once, however often called). */
    public static final class Shown {
        private final String dataUrl;
        private final Runnable onRelease;
        private final AtomicBoolean released = new AtomicBoolean();

        public Shown(String dataUrl, Runnable onRelease) {
            this.dataUrl = dataUrl;
            this.onRelease = onRelease;
        }

        public String dataUrl() {
            return dataUrl;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                onRelease.run();
            }
        }
    }

    private final TelegramFiles telegram;
    private final PipelineConfig.Vision config;
    private final Semaphore room;

    public ProductPhotos(TelegramFiles telegram, PipelineConfig config) {
        this.telegram = telegram;
        this.config = config.llm().vision();
        this.room = new Semaphore(Math.max(1, this.config.concurrency()), true);
    }

    /** Whether photos go to the LLM at all ({@code LLM_VISION}). */
    public boolean enabled() {
        return config.enabled();
    }

    /** The photo as a {@code data:} URL, or {@code null} (logged why, without the token) when it cannot be had. */
    public Uni<Shown> show(String requestId, Photo photo) {
        if (photo == null || photo.fileId() == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom()
                .item(() -> fetch(requestId, photo))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: waits for room (on a worker thread), then downloads. */
    private Shown fetch(String requestId, Photo photo) {
        try {
            if (!room.tryAcquire(config.roomWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("Request %s: no room for another photo for the LLM; prompts from the text alone", requestId);
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        boolean handedOver = false;
        try {
            TelegramFiles.Download download = telegram.download(photo.fileId(), config.maxPhotoBytes());
            String mime = imageType(download.bytes());
            if (mime == null) {
                LOG.infof("Request %s: the photo is no PNG, JPEG, GIF or WebP; prompts from the text alone", requestId);
                return null;
            }
            String url = "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(download.bytes());
            handedOver = true;
            return new Shown(url, room::release);
        } catch (TelegramFiles.FileTooLargeException e) {
            LOG.infof(
                    "Request %s: the photo (%d bytes) is over the %d bytes shown to the LLM; prompts from the text alone",
                    requestId, e.size(), config.maxPhotoBytes());
            return null;
        } catch (TelegramApiException | IOException | RuntimeException e) {
            LOG.warnf(
                    "Request %s: the photo could not be had from Telegram (%s); prompts from the text alone",
                    requestId, Redaction.describe(e));
            return null;
        } finally {
            if (!handedOver) {
                room.release();
            }
        }
    }

    /** The MIME type by the file's first bytes; null for anything but the four image types LLMs take. */
    static String imageType(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (b.length >= 12
                && b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }
}
