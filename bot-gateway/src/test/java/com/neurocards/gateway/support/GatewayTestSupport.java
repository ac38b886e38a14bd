package com.neurocards.gateway.support;

import java.util.concurrent.atomic.AtomicLong;

/** Shared numbers for the gateway's tests. */
public final class GatewayTestSupport {

    /** The admin configured for every test application ({@code ADMIN_USER_IDS}). */
    public static final long ADMIN_ID = 900_000_001L;

    /** The support contact of every test application ({@code SUPPORT_CONTACT}, application.properties' %test). */
    public static final String SUPPORT_CONTACT = "@neurocards_test_help";

    private static final AtomicLong USERS = new AtomicLong(1_000_000L + (System.nanoTime() % 1000) * 1000);

    private GatewayTestSupport() {}

    /** A user id no other test uses (the test application, its database and the emulator are shared). */
    public static long newUserId() {
        return USERS.incrementAndGet();
    }
}
