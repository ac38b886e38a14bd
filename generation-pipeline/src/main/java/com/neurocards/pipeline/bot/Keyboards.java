package com.neurocards.pipeline.bot;

import com.neurocards.contracts.BotButtons;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.notify.ProgressNotifier;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * The inline buttons the pipeline puts under its messages. Their callback data is {@link BotButtons}', shared with the
 * gateway, which handles the presses and checks that a job id belongs to the user pressing it.
 */
public final class Keyboards {

    private Keyboards() {}

    public static InlineKeyboardMarkup underVideo(Language lang, String jobId) {
        return InlineKeyboardMarkup.builder()
                .keyboardRow(new InlineKeyboardRow(List.of(
                        button(ProgressNotifier.TEXTS.get(lang, "button.more"), BotButtons.makeMore(jobId)),
                        button(ProgressNotifier.TEXTS.get(lang, "button.menu"), BotButtons.MENU))))
                .build();
    }

    public static InlineKeyboardMarkup buyCredits(Language lang) {
        return InlineKeyboardMarkup.builder()
                .keyboardRow(new InlineKeyboardRow(
                        List.of(button(ProgressNotifier.TEXTS.get(lang, "button.buy"), BotButtons.BUY_CREDITS))))
                .build();
    }

    public static InlineKeyboardMarkup menu(Language lang) {
        return InlineKeyboardMarkup.builder()
                .keyboardRow(new InlineKeyboardRow(
                        List.of(button(ProgressNotifier.TEXTS.get(lang, "button.menu"), BotButtons.MENU))))
                .build();
    }

    private static InlineKeyboardButton button(String text, String data) {
        return InlineKeyboardButton.builder().text(text).callbackData(data).build();
    }
}
