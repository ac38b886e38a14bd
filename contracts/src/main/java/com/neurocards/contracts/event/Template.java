package com.neurocards.contracts.event;

/** What kind of video the seller asked for. */
public enum Template {
    /** A customer filming an honest review. */
    UGC,
    /** A polished advert. */
    AD,
    /** The seller wrote the whole video prompt. */
    SELF
}
