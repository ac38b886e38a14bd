package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.objects.File;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Downloads files users sent, through the configured Bot API base URL (telegrambots' own download helper ignores a
 * custom base URL). The download URL carries the bot token, so it never leaves this class: not in a log, an event,
 * an error, nor in a request to another service.
 */
@ApplicationScoped
public class TelegramFiles {

    private final TelegramClient client;
    private final TelegramClients clients;
    private final TelegramConfig config;

    public TelegramFiles(TelegramClient client, TelegramClients clients, TelegramConfig config) {
        this.client = client;
        this.clients = clients;
        this.config = config;
    }

    /** A downloaded file: its bytes and what Telegram said about it. */
    public record Download(byte[] bytes, String filePath, String fileUniqueId) {}

    /**
     * @throws FileTooLargeException when the file exceeds what Telegram lets a bot download (20 MB)
     * @throws TelegramApiException  when Telegram refused {@code getFile} (unknown or expired file id, ...)
     * @throws IOException           when the download itself failed; the message holds no token
     */
    public Download download(String fileId) throws TelegramApiException, IOException {
        return download(fileId, config.maxDownloadBytes());
    }

    /**
     * {@link #download(String)} with a smaller cap: a file over {@code maxBytes} is refused before it is downloaded
     * when Telegram states its size, else once more than {@code maxBytes} have been read (never more is held).
     *
     * @throws FileTooLargeException when the file exceeds {@code maxBytes} (or what Telegram lets a bot download)
     */
    public Download download(String fileId, long maxBytes) throws TelegramApiException, IOException {
        long cap = Math.min(maxBytes, config.maxDownloadBytes());
        File file = client.execute(GetFile.builder().fileId(fileId).build());
        if (file.getFileSize() != null && file.getFileSize() > cap) {
            throw new FileTooLargeException(file.getFileSize(), cap);
        }
        return new Download(fetch(file, in -> readCapped(in, cap)), file.getFilePath(), file.getFileUniqueId());
    }

    /**
     * The first {@code count} bytes of a file (fewer if it is shorter), without downloading the rest: enough to tell
     * what a file really is.
     *
     * @throws TelegramApiException when Telegram refused {@code getFile}
     * @throws IOException          when the download failed; the message holds no token
     */
    public byte[] head(String fileId, int count) throws TelegramApiException, IOException {
        return fetch(client.execute(GetFile.builder().fileId(fileId).build()), in -> in.readNBytes(count));
    }

    private interface BodyReader {
        byte[] read(InputStream body) throws IOException;
    }

    /** Reads the file's body with {@code reader}; a failure's message never holds the token (it is in the URL). */
    private byte[] fetch(File file, BodyReader reader) throws IOException {
        Request request =
                new Request.Builder().url(fileUrl(file.getFilePath())).get().build();
        try (Response response = clients.http().newCall(request).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful() || body == null) {
                throw new IOException("Telegram file download answered HTTP " + response.code());
            }
            return reader.read(body.byteStream());
        } catch (IOException e) {
            if (e instanceof FileTooLargeException) {
                throw e;
            }
            throw new IOException(Redaction.redact(e.getMessage(), List.of(config.botToken())));
        }
    }

    private static byte[] readCapped(InputStream in, long cap) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
        if (bytes.length > cap) {
            throw new FileTooLargeException(bytes.length, cap);
        }
        return bytes;
    }

    private String fileUrl(String filePath) {
        String base = config.apiUrl().endsWith("/")
                ? config.apiUrl().substring(0, config.apiUrl().length() - 1)
                : config.apiUrl();
        return base + "/file/bot" + config.botToken() + "/" + filePath;
    }

    /** A file over Telegram's download cap: the user has to send a smaller one. */
    public static final class FileTooLargeException extends IOException {
        private final long size;

        public FileTooLargeException(long size, long limit) {
            super("The file is " + size + " bytes; at most " + limit + " are downloaded");
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}
