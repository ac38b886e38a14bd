package com.neurocards.emulators.kie;

import com.neurocards.emulators.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One emulator per test class on an adjustable clock, reset before each test. */
abstract class KieTestBase {

    static final ManualClock CLOCK = new ManualClock();
    static KieEmulator kie;
    static KieHttp http;

    @BeforeAll
    static void startEmulator() {
        kie = new KieEmulator(KieSettings.defaults()
                        .clock(CLOCK)
                        .tickInterval(Duration.ofMillis(20))
                        .imageFetchTimeout(Duration.ofSeconds(3)))
                .start(0);
        http = new KieHttp(kie.baseUrl(), kie.apiKey());
    }

    @AfterAll
    static void stopEmulator() {
        kie.close();
    }

    @BeforeEach
    void resetEmulator() {
        kie.reset();
        // a fresh rate window for every test
        CLOCK.advance(Duration.ofMinutes(1));
    }

    /** Uploads a PNG and returns its public downloadUrl. */
    static String uploadPhoto() {
        KieHttp.Reply r =
                http.streamUpload("photo-" + System.nanoTime() + ".png", "neurocards/test", KieHttp.png(), "image/png");
        return r.data().getString("downloadUrl");
    }

    /** Polls record-info until successFlag != 0 (at most 10 polls) and returns the last data. */
    static JsonObject pollUntilDone(String taskId) {
        for (int i = 0; i < 10; i++) {
            KieHttp.Reply r = http.recordInfo(taskId);
            if (r.code() != 200) {
                throw new AssertionError("record-info answered " + r.body());
            }
            JsonObject data = r.data();
            if (data.getInteger("successFlag") != 0) {
                return data;
            }
            sleepBrieflyForImageFetch();
        }
        throw new AssertionError("task " + taskId + " never finished");
    }

    /** The image fetch is real HTTP; give it a moment without depending on a fixed render time. */
    static void sleepBrieflyForImageFetch() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
