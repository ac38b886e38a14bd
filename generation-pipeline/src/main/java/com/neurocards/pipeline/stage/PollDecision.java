package com.neurocards.pipeline.stage;

import com.neurocards.contracts.DelayTier;
import com.neurocards.pipeline.error.Classification;

/** What one look at a render leads to. */
public sealed interface PollDecision {

    /** Done: deliver this video. */
    record Ready(String videoUrl, String resolution) implements PollDecision {}

    /** Still rendering: look again after {@code wait}. */
    record PollAgain(DelayTier delay) implements PollDecision {}

    /** KIE failed the render for a temporary reason and the job may render once more. */
    record Resubmit(Classification classification) implements PollDecision {}

    /** The job ends here (content rejected, renders used up, deadline passed, an answer nobody expected). */
    record Failed(Classification classification) implements PollDecision {}
}
