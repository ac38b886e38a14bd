package com.neurocards.pipeline.kie;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Photo;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.job.PhotoUploads;
import com.neurocards.telegram.TelegramFiles;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Gets a seller's photo onto KIE's upload host: downloaded from Telegram through the configured Bot API base URL and
 * stream-uploaded to KIE, once per photo (the jobs of a request share it; concurrent jobs in this instance wait for
 * the one upload). A Telegram file URL never reaches KIE: it holds the bot token. The Telegram download blocks, so it
 * runs on a worker thread; the rest does not wait on anything.
 */
@ApplicationScoped
public class PhotoHandoff {

    private final TelegramFiles telegram;
    private final KieClient kie;
    private final KieKeyPool keys;
    private final PhotoUploads uploads;
    private final Duration reuse;
    private final Map<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();

    public PhotoHandoff(
            TelegramFiles telegram, KieClient kie, KieKeyPool keys, PhotoUploads uploads, PipelineConfig config) {
        this.telegram = telegram;
        this.kie = kie;
        this.keys = keys;
        this.uploads = uploads;
        this.reuse = config.kie().uploadReuse();
    }

    /** The KIE URL of the photo; fails with a classified {@link KieException} when it cannot be had. */
    public Uni<String> kieUrl(Photo photo) {
        if (photo == null || photo.fileId() == null) {
            return Uni.createFrom()
                    .failure(new KieException(new Classification(ErrorClass.USER, null, "the job has no photo")));
        }
        String cacheKey = photo.fileUniqueId() != null ? photo.fileUniqueId() : photo.fileId();
        return uploads.recent(cacheKey, reuse)
                .chain(known -> known.isPresent() ? Uni.createFrom().item(known.get()) : uploadShared(photo, cacheKey));
    }

    /** Uploads the photo, or waits for the upload of it already running in this instance. */
    private Uni<String> uploadShared(Photo photo, String cacheKey) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = inFlight.putIfAbsent(cacheKey, mine);
        if (running != null) {
            return Uni.createFrom().completionStage(running);
        }
        return uploadOnce(photo, cacheKey).onTermination().invoke((url, failure, cancelled) -> {
            inFlight.remove(cacheKey, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else if (cancelled) {
                mine.completeExceptionally(new KieException(
                        new Classification(ErrorClass.TEMPORARY, null, "the upload of the photo was abandoned")));
            } else {
                mine.complete(url);
            }
        });
    }

    private Uni<String> uploadOnce(Photo photo, String cacheKey) {
        return Uni.createFrom()
                .item(() -> download(photo))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(download -> upload(cacheKey, download.bytes(), download.filePath()));
    }

    private Uni<String> upload(String cacheKey, byte[] bytes, String filePath) {
        String key = keys.anyKey()
                .orElseThrow(
                        () -> new KieException(new Classification(ErrorClass.AUTH, null, "no KIE API key configured")));
        String name = "nc-" + UUID.randomUUID() + extension(filePath);
        return kie.upload(key, bytes, name, mimeType(filePath)).call(url -> uploads.remember(cacheKey, url));
    }

    /** The photo from Telegram (blocking); Telegram's refusals and failures as classified {@link KieException}s. */
    private TelegramFiles.Download download(Photo photo) {
        try {
            return telegram.download(photo.fileId());
        } catch (TelegramFiles.FileTooLargeException e) {
            throw new KieException(new Classification(ErrorClass.USER, null, "the photo is too large to download"));
        } catch (TelegramApiRequestException e) {
            Integer code = e.getErrorCode();
            Classification c = code != null && code == 400
                    ? new Classification(ErrorClass.USER, 400, "Telegram no longer has the photo")
                    : ErrorClassifier.telegram(
                            code == null ? 500 : code,
                            e.getApiResponse(),
                            e.getParameters() == null ? null : e.getParameters().getRetryAfter());
            throw new KieException(c);
        } catch (TelegramApiException | IOException e) {
            throw new KieException(
                    ErrorClassifier.network("Telegram", new IOException(Redaction.redact(e.getMessage()))));
        }
    }

    private static String extension(String filePath) {
        String lower = filePath == null ? "" : filePath.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return ".png";
        }
        if (lower.endsWith(".webp")) {
            return ".webp";
        }
        return ".jpg";
    }

    private static String mimeType(String filePath) {
        return switch (extension(filePath)) {
            case ".png" -> "image/png";
            case ".webp" -> "image/webp";
            default -> "image/jpeg";
        };
    }
}
