package com.neurocards.pipeline.llm;

import com.neurocards.pipeline.error.Classification;

/** The LLM did not give usable prompts: an HTTP error, no answer, or output that failed validation. */
public class LlmException extends RuntimeException {

    private final transient Classification classification;

    public LlmException(Classification classification) {
        super(classification.reason(), null, false, false);
        this.classification = classification;
    }

    public Classification classification() {
        return classification;
    }
}
