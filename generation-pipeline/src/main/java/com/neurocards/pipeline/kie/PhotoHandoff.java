package com.neurocards.pipeline.kie;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Photo;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.job.PhotoUploads;
import com.neurocards.telegram.TelegramFiles;
import jakarta.enterprise.context.ApplicationScoped;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets a seller's photo onto KIE's upload host: downloaded from Telegram through the configured Bot API base URL and
 * stream-uploaded to KIE, once per photo (the jobs of a request share it; concurrent jobs in this instance wait for
 * the one upload). A Telegram file URL never reaches KIE: it holds the bot token. Blocking.
 */
@ApplicationScoped
public class PhotoHandoff {

    private static final Duration CACHE_LOOKUP = Duration.ofSeconds(10);

    private final TelegramFiles telegram;
    private final KieClient kie;
    private final KieKeyPool keys;
    private final PhotoUploads uploads;
    private final Duration reuse;
    private final Map<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();

    public PhotoHandoff(TelegramFiles telegram, KieClient kie, KieKeyPool keys, PhotoUploads uploads, PipelineConfig config) {
        this.telegram = telegram;
        this.kie = kie;
        this.keys = keys;
        this.uploads = uploads;
        this.reuse = config.kie().uploadReuse();
    }

    /** The KIE URL of the photo; throws {@link KieException} (classified) when it cannot be had. */
    public String kieUrl(Photo photo) {
        if (photo == null || photo.fileId() == null) {
            throw new KieException(new Classification(ErrorClass.USER, null, "the job has no photo"));
        }
        String cacheKey = photo.fileUniqueId() != null ? photo.fileUniqueId() : photo.fileId();
        Optional<String> known = uploads.recent(cacheKey, reuse).await().atMost(CACHE_LOOKUP);
        if (known.isPresent()) {
            return known.get();
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = inFlight.putIfAbsent(cacheKey, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            String url = uploadOnce(photo, cacheKey);
            mine.complete(url);
            return url;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(cacheKey, mine);
        }
    }

    private String upload(String cacheKey, byte[] bytes, String filePath) {
        String key = keys.anyKey().orElseThrow(() -> new KieException(
                new Classification(ErrorClass.AUTH, null, "no KIE API key configured")));
        String name = "nc-" + UUID.randomUUID() + extension(filePath);
        String url = kie.upload(key, bytes, name, mimeType(filePath));
        uploads.remember(cacheKey, url).await().atMost(CACHE_LOOKUP);
        return url;
    }

    private String uploadOnce(Photo photo, String cacheKey) {
        TelegramFiles.Download download;
        try {
            download = telegram.download(photo.fileId());
        } catch (TelegramFiles.FileTooLargeException e) {
            throw new KieException(new Classification(ErrorClass.USER, null, "the photo is too large to download"));
        } catch (TelegramApiRequestException e) {
            Integer code = e.getErrorCode();
            Classification c = code != null && code == 400
                    ? new Classification(ErrorClass.USER, 400, "Telegram no longer has the photo")
                    : ErrorClassifier.telegram(code == null ? 500 : code, e.getApiResponse(),
                    e.getParameters() == null ? null : e.getParameters().getRetryAfter());
            throw new KieException(c);
        } catch (TelegramApiException | IOException e) {
            throw new KieException(ErrorClassifier.network("Telegram", new IOException(Redaction.redact(e.getMessage()))));
        }
        return upload(cacheKey, download.bytes(), download.filePath());
    }

    private static String extension(String filePath) {
        String lower = filePath == null ? "" : filePath.toLowerCase(java.util.Locale.ROOT);
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
