package com.neurocards.pipeline.stage;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.kie.RecordInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads one {@code record-info} answer and decides what happens to the job: deliver, look again later (through the
 * delay tiers — nothing waits in a thread), render again after a temporary KIE failure, or end it (content
 * rejection, deadline). Plain Java: no broker, no database.
 */
public class RenderPoller {

    private final List<Duration> schedule;
    private final int maxRenderAttempts;

    /** @param schedule waits before poll 1, 2, 3, …; the last repeats */
    public RenderPoller(List<Duration> schedule, int maxRenderAttempts) {
        this.schedule = schedule.isEmpty() ? List.of(Duration.ofSeconds(15)) : List.copyOf(schedule);
        this.maxRenderAttempts = Math.max(1, maxRenderAttempts);
    }

    /** The wait before the look that follows {@code pollsDone} looks. */
    public DelayTier waitBefore(int pollsDone) {
        return DelayTier.atLeast(schedule.get(Math.min(Math.max(0, pollsDone), schedule.size() - 1)));
    }

    /**
     * @param pollsDone      looks at this render before this one
     * @param renderAttempts renders of this job so far, this one included
     */
    public PollDecision decide(RecordInfo info, int pollsDone, int renderAttempts, Instant deadline, Instant now) {
        switch (info.successFlag()) {
            case RecordInfo.SUCCESS -> {
                if (info.resultUrls().isEmpty()) {
                    return new PollDecision.Failed(
                            new Classification(ErrorClass.UNKNOWN, 200, "KIE reported success without a result URL"));
                }
                return new PollDecision.Ready(info.resultUrls().get(0), info.resolution());
            }
            case RecordInfo.FAILED, RecordInfo.GENERATION_FAILED -> {
                Classification c = ErrorClassifier.kieTaskFailure(info.errorCode(), info.errorMessage());
                if (c.errorClass() == ErrorClass.TEMPORARY
                        && renderAttempts < maxRenderAttempts
                        && (deadline == null || now.isBefore(deadline))) {
                    return new PollDecision.Resubmit(c);
                }
                return new PollDecision.Failed(c);
            }
            case RecordInfo.GENERATING -> {
                if (deadline != null && !now.isBefore(deadline)) {
                    return new PollDecision.Failed(new Classification(
                            ErrorClass.TIMEOUT,
                            null,
                            "the render did not finish by its deadline (" + pollsDone + " polls)"));
                }
                return new PollDecision.PollAgain(waitBefore(pollsDone + 1));
            }
            default -> {
                // unknown flags fail fast (docs/outside-services.md#kie-record-info)
                return new PollDecision.Failed(new Classification(
                        ErrorClass.UNKNOWN,
                        200,
                        "KIE answered an unknown task state (successFlag " + info.successFlag() + ")"));
            }
        }
    }
}
