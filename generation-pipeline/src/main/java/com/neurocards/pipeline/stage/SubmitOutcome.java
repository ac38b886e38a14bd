package com.neurocards.pipeline.stage;

import com.neurocards.pipeline.error.Classification;

/** What submitting a job to KIE came to: a render task, or a rejection that ends the job (content, bad input). */
public sealed interface SubmitOutcome {

    record Submitted(String taskId, String keyId) implements SubmitOutcome {}

    record Rejected(Classification classification) implements SubmitOutcome {}
}
