package com.neurocards.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The CLI's database connection: read-only, rows as maps (timestamps as {@link java.time.Instant}s). */
final class Database implements AutoCloseable {

    /** PostgreSQL's "undefined table": a schema whose service never ran against this database. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final Connection connection;

    Database(String host, int port, String name, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
        try {
            connection = DriverManager.getConnection(url, properties);
            connection.setReadOnly(true);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot connect to PostgreSQL at " + host + ":" + port + " database '" + name + "': "
                            + e.getMessage(),
                    e);
        }
    }

    List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                        Object value = rs.getObject(column);
                        row.put(meta.getColumnLabel(column), value instanceof Timestamp t ? t.toInstant() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw new MissingTableException(e.getMessage());
            }
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /** Like {@link #rows}, but an empty list when the table does not exist in this database. */
    List<Map<String, Object>> rowsIfPresent(String sql, Object... parameters) {
        try {
            return rows(sql, parameters);
        } catch (MissingTableException e) {
            return List.of();
        }
    }

    static final class MissingTableException extends RuntimeException {
        MissingTableException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing at exit
        }
    }
}
