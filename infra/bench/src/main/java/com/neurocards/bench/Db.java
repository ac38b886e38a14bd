package com.neurocards.bench;

import com.neurocards.harness.NeuroCardsSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The benchmark's reads of the system's own records (one short connection per question). */
final class Db {

    private final NeuroCardsSystem system;
    /** Every read of the benchmark's is a transaction of its own, counted here to leave it out of the commits. */
    private final java.util.concurrent.atomic.AtomicLong queries = new java.util.concurrent.atomic.AtomicLong();

    Db(NeuroCardsSystem system) {
        this.system = system;
    }

    /** The single number {@code sql} answers (0 when it answers null). */
    double number(String sql, Object... parameters) {
        return row(sql, parameters)[0];
    }

    /** The numbers of the one row {@code sql} answers, in column order (0 for null). */
    double[] row(String sql, Object... parameters) {
        java.util.List<double[]> rows = rows(sql, parameters);
        if (rows.isEmpty()) {
            throw new IllegalStateException("benchmark query answered no row: " + sql);
        }
        return rows.get(0);
    }

    /** The numbers of every row {@code sql} answers, each in column order (0 for null). */
    java.util.List<double[]> rows(String sql, Object... parameters) {
        queries.incrementAndGet();
        try (Connection connection = system.infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof String[] texts) {
                    statement.setArray(i + 1, connection.createArrayOf("text", texts)); // for "= ANY (?)"
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            java.util.List<double[]> all = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    double[] values = new double[rows.getMetaData().getColumnCount()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rows.getDouble(i + 1);
                    }
                    all.add(values);
                }
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark query failed: " + sql, e);
        }
    }

    /**
     * The jobs created at or after {@code since} (epoch seconds), counted per whole second since then by the moment
     * each was created, submitted to KIE, ready and delivered: where a throughput run went fast and where it waited.
     */
    java.util.List<java.util.Map<String, Long>> timeline(double since) {
        String sql = "WITH j AS (SELECT created_at, submitted_at, ready_at, delivered_at FROM pipeline.job"
                + " WHERE created_at >= to_timestamp(?)),"
                + " s AS (SELECT generate_series(0, (SELECT floor(extract(epoch FROM max(greatest(created_at,"
                + " submitted_at, ready_at, delivered_at))) - ?)::int FROM j)) AS second)"
                + " SELECT second,"
                + " (SELECT count(*) FROM j WHERE floor(extract(epoch FROM created_at) - ?) = second),"
                + " (SELECT count(*) FROM j WHERE floor(extract(epoch FROM submitted_at) - ?) = second),"
                + " (SELECT count(*) FROM j WHERE floor(extract(epoch FROM ready_at) - ?) = second),"
                + " (SELECT count(*) FROM j WHERE floor(extract(epoch FROM delivered_at) - ?) = second)"
                + " FROM s ORDER BY second";
        String[] names = {"second", "created", "submitted", "ready", "delivered"};
        java.util.List<java.util.Map<String, Long>> seconds = new java.util.ArrayList<>();
        for (double[] row : rows(sql, since, since, since, since, since, since)) {
            java.util.Map<String, Long> second = new java.util.LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                second.put(names[i], (long) row[i]);
            }
            seconds.add(second);
        }
        return seconds;
    }

    /** Videos delivered so far (each delivered job is one video in a seller's chat). */
    long delivered() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status = 'DELIVERED'");
    }

    /** Jobs that ended without a video (failed and refunded, or undeliverable). */
    long failed() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status IN ('FAILED', 'UNDELIVERABLE')");
    }

    /**
     * Transactions committed in the system's database so far by the services (PostgreSQL's cumulative statistics,
     * which a backend reports when it ends or within a second or so), the benchmark's own reads left out.
     */
    double commits() {
        double all = number("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        return all - (queries.get() - 1); // not the benchmark's own reads (this one is not counted yet)
    }

    /** Renders in progress at KIE right now. */
    long rendering() {
        return (long) number("SELECT count(*) FROM pipeline.job WHERE status = 'SUBMITTED'");
    }
}
