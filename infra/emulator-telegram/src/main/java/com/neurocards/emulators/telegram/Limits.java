package com.neurocards.emulators.telegram;

import java.time.Duration;

/**
 * The Bot API limits the emulator enforces. {@link #defaults()} are the real ones
 * (docs/outside-services.md#telegram-bot-api); tests that exercise rate limits or timeouts use {@link #builder()} to
 * make them tight, others use {@link #relaxed()} so that a fast test never meets a 429 it did not ask for.
 */
public record Limits(
        int maxTextLength,
        int maxCaptionLength,
        int maxCallbackDataBytes,
        int maxCallbackAnswerTextLength,
        long maxUploadBytes,
        long maxPhotoUploadBytes,
        long maxGetFileBytes,
        long maxPhotoUrlBytes,
        long maxUrlBytes,
        Rate perChat,
        Rate global,
        Duration preCheckoutTimeout,
        Duration callbackQueryTimeout,
        Duration webhookRetryDelay,
        Duration urlFetchTimeout) {

    public static final long MB = 1024L * 1024L;

    /**
     * A token bucket: {@code burst} messages may go at once, then one per {@code interval}.
     * Telegram does not publish exact numbers; "about 1 message per second in a chat, short bursts allowed".
     */
    public record Rate(int burst, Duration interval) {
        public static Rate unlimited() {
            return new Rate(Integer.MAX_VALUE, Duration.ZERO);
        }

        public boolean isUnlimited() {
            return burst == Integer.MAX_VALUE || interval.isZero();
        }
    }

    /** The real Bot API limits. */
    public static Limits defaults() {
        return builder().build();
    }

    /** Real size limits, but no rate limits: for tests that are not about throttling. */
    public static Limits relaxed() {
        return builder().perChat(Rate.unlimited()).global(Rate.unlimited()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTextLength = maxTextLength;
        b.maxCaptionLength = maxCaptionLength;
        b.maxCallbackDataBytes = maxCallbackDataBytes;
        b.maxCallbackAnswerTextLength = maxCallbackAnswerTextLength;
        b.maxUploadBytes = maxUploadBytes;
        b.maxPhotoUploadBytes = maxPhotoUploadBytes;
        b.maxGetFileBytes = maxGetFileBytes;
        b.maxPhotoUrlBytes = maxPhotoUrlBytes;
        b.maxUrlBytes = maxUrlBytes;
        b.perChat = perChat;
        b.global = global;
        b.preCheckoutTimeout = preCheckoutTimeout;
        b.callbackQueryTimeout = callbackQueryTimeout;
        b.webhookRetryDelay = webhookRetryDelay;
        b.urlFetchTimeout = urlFetchTimeout;
        return b;
    }

    public static final class Builder {
        private int maxTextLength = 4096;
        private int maxCaptionLength = 1024;
        private int maxCallbackDataBytes = 64;
        private int maxCallbackAnswerTextLength = 200;
        private long maxUploadBytes = 50 * MB;
        private long maxPhotoUploadBytes = 10 * MB;
        private long maxGetFileBytes = 20 * MB;
        private long maxPhotoUrlBytes = 5 * MB;
        private long maxUrlBytes = 20 * MB;
        private Rate perChat = new Rate(3, Duration.ofSeconds(1));
        private Rate global = new Rate(30, Duration.ofMillis(1000 / 30));
        private Duration preCheckoutTimeout = Duration.ofSeconds(10);
        private Duration callbackQueryTimeout = Duration.ofSeconds(15);
        private Duration webhookRetryDelay = Duration.ofSeconds(1);
        private Duration urlFetchTimeout = Duration.ofSeconds(30);

        public Builder maxTextLength(int v) {
            maxTextLength = v;
            return this;
        }

        public Builder maxCaptionLength(int v) {
            maxCaptionLength = v;
            return this;
        }

        public Builder maxCallbackDataBytes(int v) {
            maxCallbackDataBytes = v;
            return this;
        }

        public Builder maxCallbackAnswerTextLength(int v) {
            maxCallbackAnswerTextLength = v;
            return this;
        }

        public Builder maxUploadBytes(long v) {
            maxUploadBytes = v;
            return this;
        }

        public Builder maxPhotoUploadBytes(long v) {
            maxPhotoUploadBytes = v;
            return this;
        }

        public Builder maxGetFileBytes(long v) {
            maxGetFileBytes = v;
            return this;
        }

        public Builder maxPhotoUrlBytes(long v) {
            maxPhotoUrlBytes = v;
            return this;
        }

        public Builder maxUrlBytes(long v) {
            maxUrlBytes = v;
            return this;
        }

        public Builder perChat(Rate v) {
            perChat = v;
            return this;
        }

        public Builder global(Rate v) {
            global = v;
            return this;
        }

        public Builder preCheckoutTimeout(Duration v) {
            preCheckoutTimeout = v;
            return this;
        }

        public Builder callbackQueryTimeout(Duration v) {
            callbackQueryTimeout = v;
            return this;
        }

        public Builder webhookRetryDelay(Duration v) {
            webhookRetryDelay = v;
            return this;
        }

        public Builder urlFetchTimeout(Duration v) {
            urlFetchTimeout = v;
            return this;
        }

        public Limits build() {
            return new Limits(
                    maxTextLength,
                    maxCaptionLength,
                    maxCallbackDataBytes,
                    maxCallbackAnswerTextLength,
                    maxUploadBytes,
                    maxPhotoUploadBytes,
                    maxGetFileBytes,
                    maxPhotoUrlBytes,
                    maxUrlBytes,
                    perChat,
                    global,
                    preCheckoutTimeout,
                    callbackQueryTimeout,
                    webhookRetryDelay,
                    urlFetchTimeout);
        }
    }
}
