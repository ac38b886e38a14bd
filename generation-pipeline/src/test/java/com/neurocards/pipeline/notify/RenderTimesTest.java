package com.neurocards.pipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderTimesTest {

    private final RenderTimes times = new RenderTimes(
            Map.of("veo3_fast", "1m-3m", "veo3", "3m-5m", "sora-2", "3m-6m", "sora-2-pro", "5m-10m"), "2m-5m");

    @Test
    void aModelIsFoundByItsNameThenByTheLongestNameItExtends() {
        assertThat(times.of("veo3_fast")).isEqualTo(range(1, 3));
        assertThat(times.of("veo3")).isEqualTo(range(3, 5));
        assertThat(times.of("sora-2-image-to-video")).isEqualTo(range(3, 6));
        assertThat(times.of("sora-2-pro-image-to-video")).isEqualTo(range(5, 10));
    }

    @Test
    void aModelNoSettingNamesGetsTheDefault() {
        assertThat(times.of("veo3_lite")).as("not veo3: no '-' after it").isEqualTo(range(2, 5));
        assertThat(times.of("runway")).isEqualTo(range(2, 5));
        assertThat(times.of(null)).isEqualTo(range(2, 5));
    }

    @Test
    void durationsMayBeSecondsMinutesOrHours() {
        RenderTimes custom = new RenderTimes(Map.of("a", "90s - 2m", "b", "1-1h"), "5-8");
        assertThat(custom.of("a")).isEqualTo(new RenderTimes.Range(Duration.ofSeconds(90), Duration.ofMinutes(2)));
        assertThat(custom.of("b")).isEqualTo(new RenderTimes.Range(Duration.ofMinutes(1), Duration.ofHours(1)));
        assertThat(custom.of("c")).isEqualTo(range(5, 8));
    }

    @Test
    void aSettingThatCannotBeReadStopsTheStartNamingIt() {
        assertThatThrownBy(() -> new RenderTimes(Map.of("veo3", "3m"), "2m-5m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("veo3");
        assertThatThrownBy(() -> new RenderTimes(Map.of("veo3", "5m-3m"), "2m-5m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenderTimes(Map.of(), "soon-later"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default");
    }

    private static RenderTimes.Range range(int min, int max) {
        return new RenderTimes.Range(Duration.ofMinutes(min), Duration.ofMinutes(max));
    }
}
