package com.neurocards.bench;

import com.neurocards.harness.NeuroCardsSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The benchmark's reads of the system's own records (one short connection per question). */
final class Db {

    private final NeuroCardsSystem system;

    Db(NeuroCardsSystem system) {
        this.system = system;
    }

    /** The single number {@code sql} answers (0 when it answers null). */
    double number(String sql, Object... parameters) {
        return row(sql, parameters)[0];
    }

    /** The numbers of the one row {@code sql} answers, in column order (0 for null). */
    double[] row(String sql, Object... parameters) {
        try (Connection connection = system.infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                double[] values = new double[rows.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rows.getDouble(i + 1);
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark query failed: " + sql, e);
        }
    }

    /** Videos delivered so far (each delivered job is one video in a seller's chat). */
    long delivered() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status = 'DELIVERED'");
    }

    /** Jobs that ended without a video (failed and refunded, or undeliverable). */
    long failed() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status IN ('FAILED', 'UNDELIVERABLE')");
    }

    /** Renders in progress at KIE right now. */
    long rendering() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status = 'SUBMITTED'");
    }
}
