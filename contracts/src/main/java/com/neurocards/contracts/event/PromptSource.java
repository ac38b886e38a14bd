package com.neurocards.contracts.event;

/** Who wrote a video prompt. */
public enum PromptSource {
    /** The LLM. */
    LLM,
    /** The built-in templates (no LLM key, or the LLM kept failing). */
    TEMPLATE,
    /** The seller, with the SELF template. */
    USER
}
