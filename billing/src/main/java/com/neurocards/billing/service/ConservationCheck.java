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

    private final Pool pool;
    private final String query;

    public ConservationCheck(Pool pool) {
        this.pool = pool;
        this.query = load();
    }

    public record Violation(String violation, String subject, String detail) {}

    public Uni<List<Violation>> violations() {
        return pool.query(query).execute().map(rows -> {
            List<Violation> violations = new ArrayList<>();
            rows.forEach(row -> violations.add(
                    new Violation(row.getString("violation"), row.getString("subject"), row.getString("detail"))));
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
