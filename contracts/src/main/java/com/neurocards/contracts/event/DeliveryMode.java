package com.neurocards.contracts.event;

/** How a finished video reached the user. */
public enum DeliveryMode {
    /** {@code sendVideo}: plays inline. */
    VIDEO,
    /** {@code sendDocument}: too large for a video message. */
    DOCUMENT,
    /** A link: too large to upload at all. */
    LINK,
    /** The user blocked the bot; nothing could be sent. */
    UNDELIVERABLE,
    /**
     * The video was uploaded but Telegram's answer was lost (twice, at most two sends): it is most likely in the chat,
     * with no message or file id known. Counts as delivered (never refunded); there is no file to send again.
     */
    UNCONFIRMED
}
