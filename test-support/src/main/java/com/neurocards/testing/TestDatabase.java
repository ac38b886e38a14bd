package com.neurocards.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL database of its own for one test class on the local server, dropped afterwards. Closing it fails when
 * connections to it are still open by then (a service pool or a test helper that was not closed): the suite runs
 * within a connection budget (README, "Connection budget"), and a leak would spend it.
 */
public final class TestDatabase implements AutoCloseable {

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        TestDatabase database =
                new TestDatabase("nc_test_" + UUID.randomUUID().toString().substring(0, 8));
        database.admin("CREATE DATABASE " + database.name);
        return database;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return LocalServices.jdbcUrl(name);
    }

    /** A plain JDBC connection to this database, for assertions. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), LocalServices.dbUser(), LocalServices.dbPassword());
    }

    /**
     * An outage, for real: the server refuses new connections to this database ("not currently accepting
     * connections") and ends the open ones, as a database restart would, until {@link #allowConnections()}.
     */
    public void refuseConnections() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    /**
     * Ends every connection open to this database at once, as a database failover or a network cut would, without
     * refusing new ones; returns how many were ended. Clients must notice and reconnect.
     */
    public int dropConnections() {
        try (Connection admin = DriverManager.getConnection(
                        LocalServices.jdbcUrl("postgres"), LocalServices.dbUser(), LocalServices.dbPassword());
                java.sql.Statement statement = admin.createStatement();
                java.sql.ResultSet rows =
                        statement.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                                + " FROM pg_stat_activity WHERE datname = '" + name
                                + "' AND pid <> pg_backend_pid()")) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot end the connections to " + name, e);
        }
    }

    /** Ends the outage {@link #refuseConnections()} began. */
    public void allowConnections() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    /** How long connections may take to go after their owner closed them (a killed process's, a pool's). */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    /**
     * Drops the database. Throws {@link IllegalStateException} naming the connections that were still open to it
     * {@link #CLOSE_GRACE} after the test class ended (they are ended by the drop all the same).
     */
    @Override
    public void close() {
        List<String> left = openConnections(CLOSE_GRACE);
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        if (!left.isEmpty()) {
            throw new IllegalStateException(left.size() + " connection(s) to test database " + name
                    + " were left open (close what you open; see README, \"Connection budget\"): " + left);
        }
    }

    /** The connections to this database still open after waiting up to {@code grace} for them to go. */
    public List<String> openConnections(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            List<String> open = openConnections();
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return open;
            }
        }
    }

    private List<String> openConnections() {
        try (Connection connection = DriverManager.getConnection(
                        LocalServices.jdbcUrl("postgres"), LocalServices.dbUser(), LocalServices.dbPassword());
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT pid, application_name, state, "
                                + "left(query, 60) AS query FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, name);
            List<String> open = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    open.add("pid " + rows.getInt("pid") + " (" + rows.getString("application_name") + ", "
                            + rows.getString("state") + ": " + rows.getString("query") + ")");
                }
            }
            return open;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + LocalServices.dbHost() + ":" + LocalServices.dbPort()
                            + " did not answer (run infra/local/up.sh): " + e.getMessage(),
                    e);
        }
    }

    private void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(
                        LocalServices.jdbcUrl("postgres"), LocalServices.dbUser(), LocalServices.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + LocalServices.dbHost() + ":" + LocalServices.dbPort() + " refused '" + sql
                            + "' (run infra/local/up.sh): " + e.getMessage(),
                    e);
        }
    }
}
