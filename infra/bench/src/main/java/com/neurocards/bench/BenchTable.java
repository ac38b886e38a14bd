package com.neurocards.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report as a table: each figure beside the target it is held to (docs/performance.md#targets). */
final class BenchTable {

    private record Row(String figure, String value, String target, Boolean met) {}

    private BenchTable() {}

    static String render(Map<String, Object> report) {
        List<Row> rows = new ArrayList<>();
        double ratio = number(report.get("ratio_to_broker"));
        rows.add(new Row("broker alone, messages/s", text(report.get("broker_msgs_per_s")), "", null));
        rows.add(new Row("messages per video", text(report.get("msgs_per_video")), "", null));
        rows.add(new Row("broker ceiling, videos/s", text(report.get("broker_videos_per_s")), "", null));
        rows.add(new Row(
                "videos/s delivered (ratio to ceiling)",
                text(report.get("videos_per_s")) + " (" + Math.round(ratio * 1000) / 10.0 + " %)",
                ">= 25 % of ceiling",
                ratio >= 0.25));
        Map<?, ?> overhead = map(report.get("overhead_ms"));
        rows.add(new Row(
                "overhead ms p50 / p95 / p99",
                text(overhead.get("p50")) + " / " + text(overhead.get("p95")) + " / " + text(overhead.get("p99")),
                "p50 < 50, p99 < 250",
                number(overhead.get("p50")) < 50 && number(overhead.get("p99")) < 250));
        double rss = number(report.get("pipeline_rss_mb_at_max"));
        long held = (long) number(report.get("in_flight_max"));
        rows.add(new Row(
                "renders in flight (RSS MB, threads)",
                held + " (" + text(report.get("pipeline_rss_mb_at_max")) + ", "
                        + text(report.get("pipeline_threads_at_max")) + ")",
                ">= 10000 at RSS <= 512",
                held >= 10_000 && rss <= 512));
        Map<?, ?> gateway = map(report.get("gateway_reply_ms"));
        rows.add(new Row(
                "gateway reply ms p50 / p99",
                text(gateway.get("p50")) + " / " + text(gateway.get("p99")),
                "p99 < 100",
                number(gateway.get("p99")) < 100));
        Map<?, ?> startup = map(report.get("startup_ms"));
        for (String service : List.of("billing", "pipeline", "gateway")) {
            rows.add(new Row(
                    "start-up ms, " + service,
                    text(startup.get(service)),
                    "< 3000",
                    number(startup.get(service)) < 3000));
        }

        int[] widths = {6, 5, 6};
        for (Row row : rows) {
            widths[0] = Math.max(widths[0], row.figure().length());
            widths[1] = Math.max(widths[1], row.value().length());
            widths[2] = Math.max(widths[2], row.target().length());
        }
        String format = "| %-" + widths[0] + "s | %" + widths[1] + "s | %-" + widths[2] + "s | %-4s |%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(format, "figure", "value", "target", "met"));
        table.append(String.format(
                "|%s|%s|%s|%s|%n",
                "-".repeat(widths[0] + 2), "-".repeat(widths[1] + 2), "-".repeat(widths[2] + 2), "-".repeat(6)));
        for (Row row : rows) {
            String met = row.met() == null ? "" : row.met() ? "yes" : "no";
            table.append(String.format(format, row.figure(), row.value(), row.target(), met));
        }
        return table.toString();
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    private static String text(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
