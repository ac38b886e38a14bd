package com.neurocards.testing;

import com.neurocards.contracts.BrokerUser;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** A test's own vhost and database, and a probe on the vhost. */
public final class TestInfrastructure implements AutoCloseable {

    private final TestVhost vhost;
    private final TestDatabase database;
    private BrokerProbe probe;
    private final Map<BrokerUser, BrokerProbe> probes = new EnumMap<>(BrokerUser.class);

    private TestInfrastructure(TestVhost vhost, TestDatabase database) {
        this.vhost = vhost;
        this.database = database;
    }

    /** On the local services' broker and database. */
    public static TestInfrastructure create() {
        return create(BrokerEndpoint.local());
    }

    /** A vhost on {@code broker} (e.g. a local cluster's nodes) and a database on the local services' PostgreSQL. */
    public static TestInfrastructure create(BrokerEndpoint broker) {
        TestVhost vhost = TestVhost.create(broker);
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
        BrokerEndpoint broker = vhost.broker();
        env.put("RABBITMQ_HOST", broker.nodes().get(0).host());
        env.put("RABBITMQ_PORT", String.valueOf(broker.nodes().get(0).port()));
        if (broker.clustered()) {
            env.put("RABBITMQ_ADDRESSES", broker.addresses()); // every node: the services reconnect to a survivor
        }
        env.put("RABBITMQ_VHOST", vhost.name());
        putIfSet(env, "RABBITMQ_USER", broker.adminUser());
        putIfSet(env, "RABBITMQ_PASSWORD", broker.adminPassword());
        env.put("DB_HOST", LocalServices.dbHost());
        env.put("DB_PORT", String.valueOf(LocalServices.dbPort()));
        env.put("DB_NAME", database.name());
        putIfSet(env, "DB_USER", LocalServices.dbUser());
        putIfSet(env, "DB_PASSWORD", LocalServices.dbPassword());
        // The broker admin's rights cover every queue: declare them all, as before there were service users.
        env.put("RABBITMQ_DECLARE_TOPOLOGY", "all");
        // Billing credits payments from this vhost's gateway user (ServiceProcess.environmentFor(infra, GATEWAY),
        // brokerAs(GATEWAY)).
        env.put("TRUSTED_PAYMENT_PUBLISHERS", vhost.userName(BrokerUser.GATEWAY));
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(name, value);
        }
    }

    /** A probe as the broker admin: every right in the vhost, no {@code user_id} on what it publishes. */
    public synchronized BrokerProbe broker() {
        if (probe == null) {
            BrokerEndpoint broker = vhost.broker();
            probe = new BrokerProbe(broker, vhost.name(), broker.adminUser(), broker.adminPassword());
        }
        return probe;
    }

    /**
     * A probe as {@code role}'s user of this vhost, with only that user's rights; what it publishes with
     * {@link BrokerProbe#stamped} carries its {@code user_id}, as the service's own messages do.
     */
    public synchronized BrokerProbe brokerAs(BrokerUser role) {
        return probes.computeIfAbsent(role, r -> {
            TestVhost.BrokerCredentials credentials = vhost.user(r);
            return new BrokerProbe(vhost.broker(), vhost.name(), credentials.user(), credentials.password());
        });
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.close();
        }
        probes.values().forEach(BrokerProbe::close);
        probes.clear();
        try {
            vhost.close();
        } finally {
            database.close();
        }
    }
}
