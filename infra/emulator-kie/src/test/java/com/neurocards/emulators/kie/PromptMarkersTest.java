package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptMarkersTest {

    @Test
    void noMarkerMeansNoOverride() {
        assertThat(PromptMarkers.parse("a plain prompt")).isNull();
        assertThat(PromptMarkers.parse(null)).isNull();
    }

    @Test
    void directivesCombineWithinAndAcrossMarkers() {
        KieOutcome o = PromptMarkers.parse("mug [kie:polls=3, size=60MB] on a table [kie:slow=1.5s]");
        assertThat(o.type()).isEqualTo(KieOutcome.Type.DEFAULT);
        assertThat(o.polls()).isEqualTo(3);
        assertThat(o.resultSizeBytes()).isEqualTo(60L * 1024 * 1024);
        assertThat(o.delay()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void kinds() {
        KieOutcome fail = PromptMarkers.parse("[kie:fail=content]");
        assertThat(fail.type()).isEqualTo(KieOutcome.Type.FAIL);
        assertThat(fail.successFlag()).isEqualTo(2);
        assertThat(fail.errorCode()).isEqualTo(400);
        assertThat(PromptMarkers.parse("[KIE:error=455]").errorCode()).isEqualTo(455);
        assertThat(PromptMarkers.parse("[kie:http=502]").httpStatus()).isEqualTo(502);
        assertThat(PromptMarkers.parse("[kie:malformed]").type()).isEqualTo(KieOutcome.Type.MALFORMED);
        assertThat(PromptMarkers.parse("[kie:drop]").type()).isEqualTo(KieOutcome.Type.DROPPED);
        assertThat(PromptMarkers.parse("[kie:render=2m]").renderTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(PromptMarkers.parse("[kie:size=512KB]").resultSizeBytes()).isEqualTo(512 * 1024);
    }

    @Test
    void firstLimitsTheMarkersToTheFirstCreates() {
        assertThat(PromptMarkers.parse("[kie:http=429,first=2]").httpStatus()).isEqualTo(429);
        assertThat(PromptMarkers.firstCreates("[kie:http=429,first=2]")).isEqualTo(2);
        assertThat(PromptMarkers.firstCreates("[kie:http=429]")).isZero();
        assertThat(PromptMarkers.firstCreates(null)).isZero();
    }

    @Test
    void unknownDirectiveIsAnError() {
        assertThatThrownBy(() -> PromptMarkers.parse("[kie:colour=red]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromptMarkers.parse("[kie:fail=weird]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outcomeJsonRoundTrips() {
        KieOutcome o = KieOutcome.fail(3, 501, "x").withPolls(2).withDelay(Duration.ofMillis(10));
        KieOutcome back = KieOutcome.fromJson(o.toJson());
        assertThat(back.toJson()).isEqualTo(o.toJson());
    }
}
