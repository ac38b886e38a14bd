package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Captions are measured as Telegram measures them: UTF-16 code units. */
class CaptionCutTest {

    @Test
    void aShortTextIsLeftAlone() {
        assertThat(ReplyRenderer.cut("Кожаный кошелёк", 280)).isEqualTo("Кожаный кошелёк");
        assertThat(ReplyRenderer.cut(null, 280)).isEmpty();
    }

    @Test
    void aLongTextIsCutToTheLimitInUtf16UnitsWithAnEllipsis() {
        String cut = ReplyRenderer.cut("x".repeat(500), 280);
        assertThat(cut).hasSize(280).endsWith("…");
    }

    @Test
    void anEmojiIsNeverCutInHalf() {
        String cut = ReplyRenderer.cut("🎁".repeat(300), 280); // 2 units each
        assertThat(cut.length()).isLessThanOrEqualTo(280);
        assertThat(cut).endsWith("…");
        String kept = cut.substring(0, cut.length() - 1);
        assertThat(kept.codePoints().allMatch(c -> c == "🎁".codePointAt(0))).isTrue();
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void theWholeCaptionFitsTelegramsLimitHoweverLongItsFreeTexts() {
        String caption = ReplyRenderer.fitCaption(
                units -> "Описание: " + ReplyRenderer.cut("👩‍👩‍👧‍👦".repeat(300), units) + "\nПожелания: "
                        + ReplyRenderer.cut("🎁".repeat(1000), units) + "\nШаблон: реклама\nВидео: 5, 5 кредитов");
        assertThat(caption.length()).isLessThanOrEqualTo(ReplyRenderer.CAPTION_UNITS);
        assertThat(caption).contains("Шаблон: реклама").contains("🎁");
    }

    @Test
    void aCaptionThatFitsKeepsTheUsualBudget() {
        String caption = ReplyRenderer.fitCaption(units -> "a".repeat(units) + "|" + "b".repeat(units));
        assertThat(caption).hasSize(280 * 2 + 1);
    }
}
