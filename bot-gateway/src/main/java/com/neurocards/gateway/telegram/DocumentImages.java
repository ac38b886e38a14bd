package com.neurocards.gateway.telegram;

import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.gateway.conversation.Input;
import com.neurocards.gateway.conversation.Rules;
import com.neurocards.telegram.TelegramFiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Replaces what a document claims to be with what its bytes are, before the conversation sees it: a PDF renamed
 * {@code photo.png} is refused with the usual "send an image" message instead of failing at the renderer after the
 * seller paid. Only documents that claim to be an image of an acceptable size are looked at (the conversation
 * refuses the rest anyway), and only their first bytes are downloaded.
 */
@ApplicationScoped
public class DocumentImages {

    private static final Logger LOG = Logger.getLogger(DocumentImages.class);

    private final TelegramFiles files;
    private final long maxBytes;

    public DocumentImages(TelegramFiles files, GatewayConfig config) {
        this.files = files;
        this.maxBytes = config.limits().photoMaxBytes();
    }

    /**
     * The update with its document's type taken from its bytes; anything else unchanged.
     *
     * @throws UncheckedIOException when Telegram could not be asked: a passing failure, so the update is handled again
     */
    public Incoming.ForConversation checked(Incoming.ForConversation update) {
        if (!(update.input() instanceof Input.DocumentMessage document) || !worthLooking(document)) {
            return update;
        }
        String actual;
        try {
            actual = ImageBytes.mimeType(files.head(document.file().fileId(), ImageBytes.HEAD))
                    .orElse(ImageBytes.NOT_AN_IMAGE);
        } catch (TelegramApiRequestException e) {
            if (e.getErrorCode() == null || e.getErrorCode() != 400) {
                throw new UncheckedIOException(new IOException("getFile failed: " + e.getErrorCode()));
            }
            actual = ImageBytes.NOT_AN_IMAGE; // Telegram cannot serve it: neither could the renderer use it
        } catch (TelegramApiException | IOException e) {
            throw new UncheckedIOException(new IOException("Reading a document's first bytes failed", e));
        }
        if (!actual.equals(lower(document.mimeType()))) {
            LOG.infof(
                    "Document of user %d declared %s but its bytes are %s",
                    update.userId(), document.mimeType(), actual);
        }
        Input.DocumentMessage seen =
                new Input.DocumentMessage(document.file(), actual, document.fileName(), document.sizeBytes());
        return new Incoming.ForConversation(
                update.updateId(),
                update.userId(),
                update.chatId(),
                update.appLanguage(),
                seen,
                update.callbackQueryId());
    }

    private boolean worthLooking(Input.DocumentMessage document) {
        if (document.sizeBytes() > maxBytes) {
            return false;
        }
        String mime = lower(document.mimeType());
        if (!mime.isEmpty()) {
            return Rules.IMAGE_TYPES.contains(mime);
        }
        String name = lower(document.fileName());
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png") || name.endsWith(".webp");
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
