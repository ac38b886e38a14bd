package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.kie.RecordInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderPollerTest {

    private final RenderPoller poller = new RenderPoller(
            List.of(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60)), 2);
    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final Instant deadline = now.plusSeconds(600);

    @Test
    void waitsAbout15SecondsFirstThenLonger() {
        assertThat(poller.waitBefore(0)).isEqualTo(DelayTier.SECONDS_15);
        assertThat(poller.waitBefore(1)).isEqualTo(DelayTier.SECONDS_15);
        assertThat(poller.waitBefore(2)).isEqualTo(DelayTier.SECONDS_30);
        assertThat(poller.waitBefore(3)).isEqualTo(DelayTier.SECONDS_60);
        assertThat(poller.waitBefore(40)).isEqualTo(DelayTier.SECONDS_60);
    }

    @Test
    void aRenderStillGeneratingIsLookedAtAgainLater() {
        PollDecision d = poller.decide(info(0, null, null), 2, 1, deadline, now);
        assertThat(d).isEqualTo(new PollDecision.PollAgain(DelayTier.SECONDS_60));
    }

    @Test
    void aFinishedRenderIsDelivered() {
        PollDecision d = poller.decide(
                new RecordInfo("t", 1, List.of("https://kie/v.mp4"), "720p", null, ""), 1, 1, deadline, now);
        assertThat(d).isEqualTo(new PollDecision.Ready("https://kie/v.mp4", "720p"));
    }

    @Test
    void successWithoutAUrlIsAnUnknownFailure() {
        PollDecision d = poller.decide(new RecordInfo("t", 1, List.of(), null, null, ""), 1, 1, deadline, now);
        assertThat(((PollDecision.Failed) d).classification().errorClass()).isEqualTo(ErrorClass.UNKNOWN);
    }

    @Test
    void aContentRejectionEndsTheJobAsTheUsers() {
        PollDecision d = poller.decide(
                info(2, 400, "Your prompt was flagged by Website as violating content policies."), 1, 1, deadline, now);
        assertThat(((PollDecision.Failed) d).classification().errorClass()).isEqualTo(ErrorClass.USER);
    }

    @Test
    void aTemporaryRenderFailureIsRenderedOnceMoreThenFails() {
        RecordInfo internal = info(3, 500, "Internal Error, Please try again later.");
        assertThat(poller.decide(internal, 1, 1, deadline, now)).isInstanceOf(PollDecision.Resubmit.class);
        PollDecision second = poller.decide(internal, 1, 2, deadline, now);
        assertThat(((PollDecision.Failed) second).classification().errorClass()).isEqualTo(ErrorClass.TEMPORARY);
    }

    @Test
    void aRenderPastItsDeadlineTimesOut() {
        PollDecision d = poller.decide(info(0, null, null), 9, 1, deadline, deadline.plusSeconds(1));
        assertThat(((PollDecision.Failed) d).classification().errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    }

    @Test
    void anUnknownSuccessFlagFailsFast() {
        PollDecision d = poller.decide(info(7, null, null), 1, 1, deadline, now);
        assertThat(((PollDecision.Failed) d).classification().errorClass()).isEqualTo(ErrorClass.UNKNOWN);
    }

    private static RecordInfo info(int flag, Integer code, String message) {
        return new RecordInfo("t", flag, List.of(), null, code, message);
    }
}
