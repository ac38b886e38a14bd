package com.neurocards.pipeline.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;

class KeyboardsTest {

    @Test
    void underAVideoTheSellerCanMakeMoreWithTheProductOrGoBackToTheMenu() {
        assertThat(texts(Keyboards.underVideo(Language.RU, "r-1")))
                .containsExactly("🔄 Сделать ещё с этим товаром", "🏠 Вернуться в меню");
        assertThat(texts(Keyboards.underVideo(Language.EN, "r-1")))
                .containsExactly("🔄 Make more with this product", "🏠 Back to menu");
        assertThat(data(Keyboards.underVideo(Language.EN, "r-1"))).containsExactly("more:r-1", "menu");
    }

    @Test
    void underAFailureTheSellerCanGoBackToTheMenu() {
        assertThat(texts(Keyboards.menu(Language.RU))).containsExactly("🏠 Вернуться в меню");
        assertThat(texts(Keyboards.menu(Language.EN))).containsExactly("🏠 Back to menu");
    }

    private static List<String> texts(InlineKeyboardMarkup markup) {
        return markup.getKeyboard().stream()
                .flatMap(List::stream)
                .map(InlineKeyboardButton::getText)
                .toList();
    }

    private static List<String> data(InlineKeyboardMarkup markup) {
        return markup.getKeyboard().stream()
                .flatMap(List::stream)
                .map(InlineKeyboardButton::getCallbackData)
                .toList();
    }
}
