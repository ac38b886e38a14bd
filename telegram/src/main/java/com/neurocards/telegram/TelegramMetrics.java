package com.neurocards.telegram;

/** Metric names both Telegram senders (gateway replies, pipeline notifications and videos) count under. */
public final class TelegramMetrics {

    /** Telegram answered 429 ({@code neurocards_telegram_rate_limited_total{sender}}). */
    public static final String RATE_LIMITED = "neurocards.telegram.rate.limited";
    /** Tag: which service sent ({@code gateway}, {@code pipeline}). */
    public static final String SENDER = "sender";

    private TelegramMetrics() {
    }
}
