package com.neurocards.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.EventCodec;
import com.neurocards.harness.NeuroCardsSystem;
import com.neurocards.testing.BrokerEndpoint;
import com.neurocards.testing.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A three-node RabbitMQ cluster of a test's own, run by {@code infra/local/cluster.sh} with its own node names, ports
 * and data directory (under {@code target/}), so it never meets a developer's cluster or the standalone broker. Its
 * management API is read through whichever node answers.
 */
final class LocalRabbitCluster implements AutoCloseable {

    static final int NODES = 3;
    private static final String USER = "guest";
    private static final String PASSWORD = "guest";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Path script;
    private final Map<String, String> environment = new HashMap<>();
    private final String prefix;
    private final int amqpBase;
    private final int managementBase;
    private final Path log;

    private LocalRabbitCluster(int base) {
        script = NeuroCardsSystem.home().resolve("infra/local/cluster.sh");
        prefix = "ncit" + base;
        amqpBase = base;
        managementBase = base + 10_000;
        environment.put(
                "CLUSTER_DIR",
                Path.of("target/rabbitmq-cluster-" + prefix).toAbsolutePath().toString());
        environment.put("CLUSTER_NODE_PREFIX", prefix);
        environment.put("CLUSTER_AMQP_BASE", String.valueOf(amqpBase));
        environment.put("CLUSTER_MANAGEMENT_BASE", String.valueOf(managementBase));
        environment.put("CLUSTER_DIST_BASE", String.valueOf(base + 20_000));
        log = ServiceProcess.logFile("rabbitmq-cluster-" + prefix);
    }

    /**
     * Starts a cluster on the first free port block from 5690 (AMQP 5691-5693, management 15691-15693, distribution
     * 25691-25693; then 5700, ...), so two runs on one machine do not collide.
     */
    static LocalRabbitCluster start() {
        for (int base = 5690; base < 5800; base += 10) {
            if (free(base) && free(base + 10_000) && free(base + 20_000)) {
                LocalRabbitCluster cluster = new LocalRabbitCluster(base);
                try {
                    cluster.run("up");
                } catch (RuntimeException e) {
                    cluster.close();
                    throw e;
                }
                return cluster;
            }
        }
        throw new IllegalStateException("no free block of ports for a local RabbitMQ cluster in 5690-5799");
    }

    /** Whether this machine has RabbitMQ installed, which {@code cluster.sh} runs the nodes with. */
    static boolean installed() {
        if (Files.isExecutable(Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server"))) {
            return true;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "rabbitmq-server"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean free(int base) {
        for (int n = 1; n <= NODES + 1; n++) {
            try (ServerSocket socket = new ServerSocket(base + n)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The broker the system connects to: every node, as {@code RABBITMQ_ADDRESSES}. */
    BrokerEndpoint endpoint() {
        List<Integer> amqp = new ArrayList<>();
        List<Integer> management = new ArrayList<>();
        for (int n = 1; n <= NODES; n++) {
            amqp.add(amqpBase + n);
            management.add(managementBase + n);
        }
        return BrokerEndpoint.cluster("127.0.0.1", amqp, management, USER, PASSWORD);
    }

    /** The Erlang name of node {@code n} (1..3), as the management API names it. */
    String nodeName(int n) {
        return prefix + n + "@localhost";
    }

    /** The number (1..3) of the node called {@code name}. */
    int nodeNumber(String name) {
        for (int n = 1; n <= NODES; n++) {
            if (nodeName(n).equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("not a node of this cluster: " + name);
    }

    /** Stops node {@code n} as an operator would ({@code cluster.sh stop-node}). */
    void stopNode(int n) {
        run("stop-node", String.valueOf(n));
    }

    /** Starts node {@code n} again; it rejoins the cluster by itself. */
    void startNode(int n) {
        run("start-node", String.valueOf(n));
    }

    /** {@code cluster.sh status}: the members, and the leader and online members of every quorum queue. */
    String status() {
        return run("status");
    }

    /** The nodes the cluster counts as members, and whether each runs, as the management API reports them. */
    Map<String, Boolean> members() {
        Map<String, Boolean> members = new HashMap<>();
        for (JsonNode node : get("/api/nodes")) {
            members.put(node.get("name").asText(), node.path("running").asBoolean(false));
        }
        return members;
    }

    /** Every queue of {@code vhost}, with its type, leader, members, online members and message counts. */
    JsonNode queues(String vhost) {
        return get("/api/queues/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8));
    }

    /** The open connections of {@code vhost}: their {@code node} and client-given {@code connection_name}. */
    JsonNode connections(String vhost) {
        return get("/api/vhosts/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8) + "/connections");
    }

    private JsonNode get(String path) {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        IOException unreachable = null;
        for (int n = 1; n <= NODES; n++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (managementBase + n) + path))
                    .header("Authorization", "Basic " + auth)
                    .timeout(Duration.ofSeconds(10))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return EventCodec.mapper().readTree(response.body());
                }
                unreachable = new IOException("GET " + path + " answered " + response.statusCode());
            } catch (IOException e) {
                unreachable = e; // that node is down: ask the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no node of the cluster answers " + path, unreachable);
    }

    /** Runs {@code cluster.sh} with this cluster's settings, appending its output to the cluster's log. */
    private String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            Files.writeString(
                    log,
                    "$ cluster.sh " + String.join(" ", arguments) + "\n" + output,
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", arguments) + " failed ("
                        + process.exitValue() + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every node and removes the cluster's data. */
    @Override
    public void close() {
        run("down");
    }
}
