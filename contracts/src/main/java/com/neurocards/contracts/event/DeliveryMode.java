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
    UNDELIVERABLE
}
