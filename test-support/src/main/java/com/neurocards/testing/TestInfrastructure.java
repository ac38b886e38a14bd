package com.neurocards.testing;

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
