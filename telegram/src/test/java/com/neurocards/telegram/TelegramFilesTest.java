package com.neurocards.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.SampleMedia;
import com.neurocards.emulators.telegram.TelegramEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** Downloads go through the configured Bot API base URL, with Telegram's cap, and never show the token. */
class TelegramFilesTest {

    static TelegramEmulator telegram;

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator();
        telegram.start(0);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @Test
    void aPhotoAUserSentIsDownloadedThroughTheConfiguredBaseUrl() throws Exception {
        byte[] photo = SampleMedia.jpeg(640, 480);
        ChatMessage sent = telegram.user(5001).sendPhoto(photo);
        String fileId = largestPhotoFileId(sent);

        TelegramFiles.Download download =
                files(telegram.baseUrl(), 20 * 1024 * 1024).download(fileId);

        assertThat(download.bytes()).isEqualTo(telegram.fileBytes(fileId).orElseThrow());
        assertThat(download.filePath()).isNotBlank();
    }

    @Test
    void aFileOverTheCapIsRefusedWithoutDownloadingIt() {
        ChatMessage sent = telegram.user(5002).sendPhoto(SampleMedia.jpeg(640, 480));

        assertThatThrownBy(() -> files(telegram.baseUrl(), 100).download(largestPhotoFileId(sent)))
                .isInstanceOf(TelegramFiles.FileTooLargeException.class);
    }

    @Test
    void aSmallerCapOfTheCallerRefusesWhatTheBotsCapWouldTake() throws Exception {
        byte[] photo = SampleMedia.jpeg(640, 480);
        String fileId = largestPhotoFileId(telegram.user(5004).sendPhoto(photo));
        TelegramFiles files = files(telegram.baseUrl(), 20 * 1024 * 1024);
        long size = telegram.fileBytes(fileId).orElseThrow().length;

        assertThatThrownBy(() -> files.download(fileId, size - 1))
                .isInstanceOf(TelegramFiles.FileTooLargeException.class)
                .satisfies(e -> assertThat(((TelegramFiles.FileTooLargeException) e).size())
                        .isEqualTo(size));
        assertThat(files.download(fileId, size).bytes()).hasSize((int) size);
    }

    @Test
    void anUnknownFileIdIsTelegramsErrorAndTheTokenAppearsNowhere() {
        assertThatThrownBy(() -> files(telegram.baseUrl(), 1024).download("no-such-file"))
                .isInstanceOf(TelegramApiRequestException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain(telegram.token()));
    }

    @Test
    void aDownloadThatFailsSaysSoWithoutTheTokenInTheMessage() {
        ChatMessage sent = telegram.user(5003).sendPhoto(SampleMedia.jpeg(64, 64));
        String fileId = largestPhotoFileId(sent);
        TelegramEmulator other = new TelegramEmulator();
        other.start(0);
        String deadUrl = other.baseUrl();
        other.close();

        // getFile works (same emulator), but the download host is gone: simulate by pointing downloads elsewhere.
        assertThatThrownBy(() -> files(deadUrl, 1024 * 1024).download(fileId))
                .satisfies(e -> assertThat(e.toString()).doesNotContain(telegram.token()));
    }

    private static String largestPhotoFileId(ChatMessage message) {
        var sizes = message.json().getJsonArray("photo");
        return sizes.getJsonObject(sizes.size() - 1).getString("file_id");
    }

    private static TelegramFiles files(String apiUrl, long maxBytes) {
        TelegramConfig config = new TestTelegramConfig(telegram.token(), apiUrl, maxBytes);
        TelegramClients clients = new TelegramClients(config);
        return new TelegramFiles(clients.telegramClient(), clients, config);
    }
}
