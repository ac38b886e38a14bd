package com.neurocards.billing.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the shipped conservation query ({@code sql/conservation-check.sql}); every row it returns is a violation. */
@ApplicationScoped
public class ConservationCheck {

    public static final String RESOURCE = "sql/conservation-check.sql";

    /** The most violations one call reports. */
    public static final int MAX_VIOLATIONS = 100;

    private static final long TIME_LIMIT_MILLIS = 10_000;

    private final Pool pool;
    private final String bounded;

    public ConservationCheck(Pool pool) {
        this.pool = pool;
        String query = load().strip();
        if (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1);
        }
        this.bounded = "SELECT * FROM (" + query + ") violations LIMIT " + MAX_VIOLATIONS;
    }

    public record Violation(String violation, String subject, String detail) {}

    public Uni<List<Violation>> violations() {
        // Bounded for an API that anyone holding the token may call: the first rows are enough to act on, and a
        // full-ledger scan that runs long is cut off rather than left to load the database.
        return pool.withTransaction(connection -> connection
                        .query("SET LOCAL statement_timeout = '" + TIME_LIMIT_MILLIS + "ms'")
                        .execute()
                        .flatMap(ignored -> connection.query(bounded).execute()))
                .map(rows -> {
                    List<Violation> violations = new ArrayList<>();
                    rows.forEach(row -> violations.add(new Violation(
                            row.getString("violation"), row.getString("subject"), row.getString("detail"))));
                    return violations;
                });
    }

    /** The query text, for tools that run it themselves (psql, the chaos tool). */
    public static String load() {
        try (InputStream in = ConservationCheck.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
