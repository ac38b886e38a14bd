package com.neurocards.telegram;

/** Metric names {@link BotSender} counts under, for the gateway's replies and the pipeline's notifications and videos. */
public final class TelegramMetrics {

    /** Telegram answered 429 ({@code neurocards_telegram_rate_limited_total{sender}}). */
    public static final String RATE_LIMITED = "neurocards.telegram.rate.limited";
    /** Tag: which service sent ({@code gateway}, {@code pipeline}): {@link SendPolicy#sender()}. */
    public static final String SENDER = "sender";

    private TelegramMetrics() {}
}
