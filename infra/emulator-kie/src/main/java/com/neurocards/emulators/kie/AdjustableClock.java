package com.neurocards.emulators.kie;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests can move forward, so rate windows, render durations and retention can be exercised without sleeping.
 * It starts at the real current time and only moves when {@link #advance(Duration)} is called.
 */
public final class AdjustableClock extends Clock {

    private volatile Instant now;

    public AdjustableClock() {
        this(Instant.now());
    }

    public AdjustableClock(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
