package com.neurocards.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seller mix adds up to the videos asked for, in the stated shares, and the options read as documented. */
class SellerPlanTest {

    @Test
    void theMixAddsUpToExactlyTheVideosAskedForIn135AndEveryTemplate() {
        for (int videos : new int[] {1, 2, 7, 100, 1000}) {
            List<SellerPlan> plans = SellerPlan.mix(videos, 0.1, 17);
            assertThat(plans.stream().mapToInt(SellerPlan::count).sum()).isEqualTo(videos);
            assertThat(plans).allSatisfy(p -> assertThat(p.count()).isIn(1, 3, 5));
            assertThat(plans.stream().map(SellerPlan::userId).distinct().count())
                    .isEqualTo(plans.size());
        }
        List<SellerPlan> thousand = SellerPlan.mix(1000, 0.1, 17);
        assertThat(thousand).extracting(SellerPlan::template).contains("UGC", "AD", "SELF");
        assertThat(thousand).extracting(SellerPlan::count).contains(1, 3, 5);
        long buyers = thousand.stream().filter(SellerPlan::buys).count();
        assertThat(buyers).isBetween(thousand.size() / 20L, thousand.size() / 5L);
        // the same seed, the same sellers
        assertThat(SellerPlan.mix(1000, 0.1, 17)).isEqualTo(thousand);
    }

    @Test
    void optionsReadAsDocumented() {
        ChaosOptions defaults = ChaosOptions.parse();
        assertThat(defaults.videos()).isEqualTo(1000);
        assertThat(defaults.killEvery()).isEqualTo(Duration.ofSeconds(20));
        ChaosOptions shortRun = ChaosOptions.parse("--short", "--seed", "5");
        assertThat(shortRun.videos()).isEqualTo(100);
        assertThat(shortRun.billings()).isEqualTo(1);
        assertThat(shortRun.seed()).isEqualTo(5);
        assertThat(ChaosOptions.parse("--videos", "300", "--kill-every", "0", "--cluster"))
                .satisfies(o -> {
                    assertThat(o.videos()).isEqualTo(300);
                    assertThat(o.killEvery()).isZero();
                    assertThat(o.cluster()).isTrue();
                });
        assertThatThrownBy(() -> ChaosOptions.parse("--videos", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaosOptions.parse("--kie-fault-rate", "2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaosOptions.parse("--nonsense", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
