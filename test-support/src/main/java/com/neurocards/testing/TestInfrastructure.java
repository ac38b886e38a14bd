package com.neurocards.testing;

import java.util.HashMap;
import java.util.Map;

/** A test's own vhost and database, and a probe on the vhost. */
public final class TestInfrastructure implements AutoCloseable {

    private final TestVhost vhost;
    private final TestDatabase database;
    private BrokerProbe probe;

    private TestInfrastructure(TestVhost vhost, TestDatabase database) {
        this.vhost = vhost;
        this.database = database;
    }

    public static TestInfrastructure create() {
        TestVhost vhost = TestVhost.create();
        try {
            return new TestInfrastructure(vhost, TestDatabase.create());
        } catch (RuntimeException e) {
            vhost.close();
            throw e;
        }
    }

    public TestVhost vhost() {
        return vhost;
    }

    public TestDatabase database() {
        return database;
    }

    /**
     * The variables that point a service at this vhost and database, wherever the broker and the database are (the
     * local services or containers). Credentials are included when set, so a service reaches a container with the
     * container's own.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("RABBITMQ_HOST", LocalServices.rabbitHost());
        env.put("RABBITMQ_PORT", String.valueOf(LocalServices.rabbitPort()));
        env.put("RABBITMQ_VHOST", vhost.name());
        putIfSet(env, "RABBITMQ_USER", LocalServices.rabbitUser());
        putIfSet(env, "RABBITMQ_PASSWORD", LocalServices.rabbitPassword());
        env.put("DB_HOST", LocalServices.dbHost());
        env.put("DB_PORT", String.valueOf(LocalServices.dbPort()));
        env.put("DB_NAME", database.name());
        putIfSet(env, "DB_USER", LocalServices.dbUser());
        putIfSet(env, "DB_PASSWORD", LocalServices.dbPassword());
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(name, value);
        }
    }

    public synchronized BrokerProbe broker() {
        if (probe == null) {
            probe = new BrokerProbe(vhost.name());
        }
        return probe;
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.close();
        }
        try {
            vhost.close();
        } finally {
            database.close();
        }
    }
}
