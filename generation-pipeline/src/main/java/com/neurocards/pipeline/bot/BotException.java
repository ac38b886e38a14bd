package com.neurocards.pipeline.bot;

import com.neurocards.pipeline.error.Classification;

/** Telegram refused or did not answer a call; classified. {@link #blocked()}: the user blocked the bot (403). */
public class BotException extends RuntimeException {

    private final transient Classification classification;

    public BotException(Classification classification) {
        super(classification.reason(), null, false, false);
        this.classification = classification;
    }

    public Classification classification() {
        return classification;
    }

    public boolean blocked() {
        Integer code = classification.providerCode();
        return code != null && code == 403;
    }

    /** Telegram's "message is not modified": an edit that changes nothing, harmless. */
    public boolean notModified() {
        return classification.reason() != null && classification.reason().contains("message is not modified");
    }

    /** The message to edit is gone (deleted by the user). */
    public boolean messageGone() {
        String r = classification.reason() == null ? "" : classification.reason();
        return r.contains("message to edit not found") || r.contains("MESSAGE_ID_INVALID");
    }
}
