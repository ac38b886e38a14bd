package com.neurocards.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time used so far by each part of the system on this machine (Linux /proc): the three services, this JVM (the
 * emulators and the benchmark's own driving), RabbitMQ (the node serving the broker's port) and PostgreSQL (the
 * server serving the database's port, with every backend it ran, ended ones included). The difference of two readings
 * divided by the videos in between says where a video's time goes, whatever else the machine was doing.
 */
final class CpuTime {

    /** Linux's USER_HZ: /proc counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private final Map<String, Long> jvms;
    private final long rabbitmq;
    private final long postgresql;

    /** @param jvms the services' process ids by name; the broker and the database are found by their ports */
    CpuTime(Map<String, Long> jvms, int brokerPort, int databasePort) {
        this.jvms = jvms;
        this.rabbitmq = listener(brokerPort).orElse(-1);
        this.postgresql = listener(databasePort).orElse(-1);
    }

    /** Seconds of CPU used so far, by part. */
    Map<String, Double> read() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> seconds.put(name, own(pid)));
        seconds.put("bench_and_emulators", own(ProcessHandle.current().pid()));
        seconds.put("rabbitmq", rabbitmq > 0 ? own(rabbitmq) : Double.NaN);
        seconds.put("postgresql", postgresql > 0 ? withChildren(postgresql) : Double.NaN);
        return seconds;
    }

    /** {@code later - earlier}, per part, times {@code scale} per one of {@code units} (e.g. CPU ms per video). */
    static Map<String, Double> perUnit(
            Map<String, Double> earlier, Map<String, Double> later, double units, double scale) {
        Map<String, Double> result = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> part : later.entrySet()) {
            double used = (part.getValue() - earlier.getOrDefault(part.getKey(), 0.0)) * scale / units;
            result.put(part.getKey(), Math.round(used * 10) / 10.0);
            if (!Double.isNaN(used)) {
                total += used;
            }
        }
        result.put("total", Math.round(total * 10) / 10.0);
        return result;
    }

    private static double own(long pid) {
        long[] fields = stat(pid);
        return fields == null ? Double.NaN : (fields[0] + fields[1]) / TICKS_PER_SECOND;
    }

    /** The server's own time, its ended children's (cutime, cstime) and its live children's. */
    private static double withChildren(long pid) {
        long[] server = stat(pid);
        if (server == null) {
            return Double.NaN;
        }
        long ticks = server[0] + server[1] + server[2] + server[3];
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] child = stat(Long.parseLong(name));
                if (child != null && child[4] == pid) {
                    ticks += child[0] + child[1];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime, cstime and the parent's pid from /proc/&lt;pid&gt;/stat; null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(fields[11]), // utime (field 14)
                Long.parseLong(fields[12]), // stime
                Long.parseLong(fields[13]), // cutime
                Long.parseLong(fields[14]), // cstime
                Long.parseLong(fields[1]) // ppid (field 4)
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The process listening on {@code port} on this machine, as {@code ss} tells (readable for this user's own). */
    private static OptionalLong listener(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            Matcher pid = PID.matcher(out);
            return pid.find() ? OptionalLong.of(Long.parseLong(pid.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
