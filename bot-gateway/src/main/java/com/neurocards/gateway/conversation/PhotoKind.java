package com.neurocards.gateway.conversation;

/** How the product photo came: compressed by Telegram, or an image sent as a file. Decides how it is shown back. */
public enum PhotoKind {
    PHOTO,
    DOCUMENT
}
