package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

class VideoMemoryTest {

    private static final long MB = 1024 * 1024;

    @Test
    void aDownloadedVideoKeepsOnlyItsOwnSizeSoTheNextDownloadMayStartWhileItWaitsToBeSent() {
        VideoMemory memory = new VideoMemory(100 * MB, 50 * MB, new SimpleMeterRegistry());
        VideoMemory.Held first = memory.reserve().await().indefinitely();
        VideoMemory.Held second = memory.reserve().await().indefinitely();
        UniAssertSubscriber<VideoMemory.Held> third =
                memory.reserve().subscribe().withSubscriber(UniAssertSubscriber.create());
        third.assertNotTerminated(); // the budget holds two downloads of the largest video

        first.shrinkTo(8 * MB); // downloaded: an 8 MB video, waiting for its chat's turn
        assertThat(memory.reserved()).isEqualTo(58.0 * MB);
        third.assertNotTerminated(); // 58 + 50 would pass the budget

        second.shrinkTo(12 * MB);
        third.awaitItem(); // 8 + 12 + 50 fits
        assertThat(memory.reserved()).isEqualTo(70.0 * MB);

        first.release();
        first.release(); // once, however often
        first.shrinkTo(0); // nothing after the release
        assertThat(memory.reserved()).isEqualTo(62.0 * MB);
        assertThat(memory.peak()).isLessThanOrEqualTo(100 * MB);
    }

    @Test
    void aReservationNeverGrowsBackAndNeverCountsMoreThanTheUploadCap() {
        VideoMemory memory = new VideoMemory(100 * MB, 50 * MB, new SimpleMeterRegistry());
        VideoMemory.Held held = memory.reserve().await().indefinitely();
        held.shrinkTo(80 * MB); // larger than the cap: the cap stays
        assertThat(memory.reserved()).isEqualTo(50.0 * MB);
        held.shrinkTo(10 * MB);
        held.shrinkTo(30 * MB); // never grows back
        assertThat(memory.reserved()).isEqualTo(10.0 * MB);
        held.release();
        assertThat(memory.reserved()).isZero();
    }
}
