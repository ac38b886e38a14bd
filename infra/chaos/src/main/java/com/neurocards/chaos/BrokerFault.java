package com.neurocards.chaos;

import com.neurocards.testing.TestVhost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The broker's part of the chaos, done once mid-run. Against the three-node local cluster ({@code --cluster}): one
 * node is stopped with {@code infra/local/cluster.sh stop-node N} and started again a while later. On the single
 * broker there is no node to stop: every client connection of the run's vhost is force-closed through the management
 * API instead, as a node going away does to the clients connected to it.
 */
interface BrokerFault {

    /** Does the fault; returns what happened, for the report. */
    String inject() throws Exception;

    /** The key this fault is counted under in the report's faults_injected. */
    String name();

    /** When the broker-node step cannot run, the report says why. */
    String skipped();

    static BrokerFault forRun(ChaosOptions options, TestVhost vhost, Path home) {
        return options.cluster() ? new StopClusterNode(home, options.clusterNode()) : new CloseConnections(vhost);
    }

    /** The single broker: force-close every connection of the vhost (DELETE /api/connections/name). */
    final class CloseConnections implements BrokerFault {
        private final TestVhost vhost;

        CloseConnections(TestVhost vhost) {
            this.vhost = vhost;
        }

        @Override
        public String inject() {
            return vhost.closeAllConnections() + " broker connections force-closed";
        }

        @Override
        public String name() {
            return "broker_connections_closed";
        }

        @Override
        public String skipped() {
            return "skipped: not run against a cluster (use --cluster with infra/local/cluster.sh up); every broker"
                    + " connection was force-closed once instead";
        }
    }

    /** The three-node cluster: stop node N, keep it down a while, start it again. */
    final class StopClusterNode implements BrokerFault {
        static final Duration DOWN = Duration.ofSeconds(30);
        private final Path script;
        private final int node;

        StopClusterNode(Path home, int node) {
            this.script = home.resolve("infra/local/cluster.sh");
            this.node = node;
        }

        @Override
        public String inject() throws Exception {
            if (!Files.isRegularFile(script)) {
                throw new IllegalStateException(script + " does not exist: --cluster needs the local cluster script");
            }
            run("stop-node");
            Thread.sleep(DOWN.toMillis());
            run("start-node");
            return "node " + node + " stopped for " + DOWN.toSeconds() + " s and started again";
        }

        private void run(String command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder("bash", script.toString(), command, String.valueOf(node))
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " " + node + " did not finish in 3 minutes");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " " + node + " failed: " + output);
            }
        }

        @Override
        public String name() {
            return "broker_node_stops";
        }

        @Override
        public String skipped() {
            return null;
        }
    }
}
