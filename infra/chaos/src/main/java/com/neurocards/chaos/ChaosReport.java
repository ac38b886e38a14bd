package com.neurocards.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The figures of a run (JSON, as infra/chaos/target/chaos-report.json) and the checks they must pass (a table). */
final class ChaosReport {

    /** One check: what was measured, what it must be, and whether it is. */
    record Check(String name, long value, String limit, boolean ok) {}

    final JsonObject json = new JsonObject();
    private final List<Check> checks = new ArrayList<>();

    void check(String name, long value, String limit, boolean ok) {
        checks.add(new Check(name, value, limit, ok));
    }

    boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    List<Check> failed() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    JsonObject toJson() {
        JsonArray list = new JsonArray();
        for (Check c : checks) {
            list.add(new JsonObject()
                    .put("check", c.name())
                    .put("value", c.value())
                    .put("must_be", c.limit())
                    .put("ok", c.ok()));
        }
        return json.copy().put("checks", list).put("ok", ok());
    }

    void write(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.writeString(path, toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
    }

    /** The checks as a plain-text table, then the headline figures. */
    String table() {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
        StringBuilder out = new StringBuilder();
        String format = "%-" + width + "s | %10s | %-14s | %s%n";
        out.append(String.format(format, "check", "value", "must be", "ok"));
        out.append("-".repeat(width)).append("-+-").append("-".repeat(10)).append("-+-");
        out.append("-".repeat(14)).append("-+----\n");
        for (Check c : checks) {
            out.append(String.format(format, c.name(), c.value(), c.limit(), c.ok() ? "ok" : "FAILED"));
        }
        out.append(String.format(
                "%nvideos %d, delivered %d, refunded %d, lost %d, duplicate videos %d, faults injected %s,"
                        + " %d s: %s%n",
                json.getLong("videos"),
                json.getLong("delivered"),
                json.getLong("refunded"),
                json.getLong("lost"),
                json.getLong("duplicate_videos"),
                json.getJsonObject("faults_injected").encode(),
                json.getLong("duration_s"),
                ok() ? "every check passed" : "CHECKS FAILED"));
        return out.toString();
    }
}
