package com.neurocards.gateway.support;

import com.neurocards.contracts.BotButtons;
import com.neurocards.emulators.telegram.SampleMedia;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * What other parts of the system (or a forger) put in a chat, sent with the same bot: a delivered video with the
 * pipeline's buttons, or a message with arbitrary buttons.
 */
public final class Pipeline {

    private final TelegramClient client;

    public Pipeline(TelegramClient client) {
        this.client = client;
    }

    /** The deliver stage's message: the video with "Make more" and "Menu". */
    public Message deliverVideo(long chatId, String jobId) {
        try {
            return client.execute(SendVideo.builder()
                    .chatId(chatId)
                    .video(new InputFile(new ByteArrayInputStream(SampleMedia.mp4(720, 1280, 8, 20_000)), "reel.mp4"))
                    .supportsStreaming(true)
                    .replyMarkup(InlineKeyboardMarkup.builder()
                            .keyboardRow(new InlineKeyboardRow(
                                    InlineKeyboardButton.builder()
                                            .text("🔄")
                                            .callbackData(BotButtons.makeMore(jobId))
                                            .build(),
                                    InlineKeyboardButton.builder()
                                            .text("🏠")
                                            .callbackData(BotButtons.MENU)
                                            .build()))
                            .build())
                    .build());
        } catch (TelegramApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bot message in the chat with buttons carrying exactly this data (stale, forged, another user's). */
    public Message buttons(long chatId, String... data) {
        InlineKeyboardMarkup.InlineKeyboardMarkupBuilder<?, ?> keyboard = InlineKeyboardMarkup.builder();
        Arrays.stream(data)
                .forEach(d -> keyboard.keyboardRow(new InlineKeyboardRow(
                        InlineKeyboardButton.builder().text(d).callbackData(d).build())));
        try {
            return client.execute(SendMessage.builder()
                    .chatId(chatId)
                    .text("buttons")
                    .replyMarkup(keyboard.build())
                    .build());
        } catch (TelegramApiException e) {
            throw new IllegalStateException(e);
        }
    }
}
