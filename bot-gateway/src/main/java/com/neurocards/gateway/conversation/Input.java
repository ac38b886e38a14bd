package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Photo;

/** What a user did, as the conversation sees it (Telegram types stay in the adapter). */
public sealed interface Input {

    /** {@code /name args}; the name is lower-case without the slash and without {@code @botname}. */
    record Command(String name, String args) implements Input {}

    record Text(String text) implements Input {}

    /** A compressed photo (its largest size). */
    record PhotoMessage(Photo photo, long sizeBytes) implements Input {}

    /** A file; may or may not be an image. */
    record DocumentMessage(Photo file, String mimeType, String fileName, long sizeBytes) implements Input {}

    /** A sticker, a voice message, a video, a location...: nothing the conversation ever asks for. */
    record Unsupported(String kind) implements Input {}

    /** An inline button press on the bot's message {@code messageId} ({@code null} when Telegram did not say). */
    record Press(Callback callback, Integer messageId) implements Input {}

    /**
     * "Make more" after the job was looked up for the caller: {@code source} is {@code null} when the job does not
     * exist or belongs to someone else (the two are not told apart).
     */
    record MakeMoreFrom(ProductSource source) implements Input {}

    /** The photo and description of an earlier generation. */
    record ProductSource(Photo photo, PhotoKind photoKind, String description) {}

    /**
     * Confirm pressed on a card that is not the open one, after the order of that card was looked up for the caller:
     * what became of it.
     */
    record PastConfirm(long draft, OrderFate fate) implements Input {}

    /** What became of the order a card showed. */
    enum OrderFate {
        /** Never confirmed: the card is older than the open draft, or the order was changed or cancelled. */
        NOT_CONFIRMED,
        /** Confirmed and started (or on its way to billing). */
        STARTED,
        /** Confirmed, and billing refused it: not enough credits. */
        REJECTED
    }
}
