package com.neurocards.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Waits between retries. */
public final class Backoff {

    private Backoff() {}

    /**
     * Between a half and the whole of {@code wait}, at random, in milliseconds: retries of several instances (or of
     * one instance's stages) after the same broker failure spread out, and none keeps its phase against a failure that
     * repeats on a period of its own.
     */
    public static long jittered(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return millis / 2 + ThreadLocalRandom.current().nextLong(millis - millis / 2 + 1);
    }
}
