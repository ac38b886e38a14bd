package com.neurocards.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A PostgreSQL database of its own for one test class on the local server, dropped afterwards. */
public final class TestDatabase implements AutoCloseable {

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        TestDatabase database = new TestDatabase("nc_test_" + UUID.randomUUID().toString().substring(0, 8));
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

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl("postgres"),
                LocalServices.dbUser(), LocalServices.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + LocalServices.dbHost() + ":" + LocalServices.dbPort()
                    + " refused '" + sql + "' (run infra/local/up.sh): " + e.getMessage(), e);
        }
    }
}
