package com.neurocards.contracts;

/** The pipeline stages, as named in events ({@code generation.failed.stage}) and headers ({@code x-stage}). */
public enum Stage {
    BILLING,
    PROMPT,
    SUBMIT,
    POLL,
    DELIVER,
    NOTIFY,
    GATEWAY,
    JOURNAL
}
