package com.neurocards.testing;

import com.neurocards.contracts.BrokerUser;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as a real process, so a test can kill it the hard
 * way ({@code kill -9}: no shutdown hook, no goodbye to the broker or the database) and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reactive connections each service process a test starts may open (plus two for Flyway at start). */
    public static final int SERVICE_POOL_SIZE = 4;

    private final Path jar;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private Process process;
    private Duration startupTime;

    public ServiceProcess(Path jar, Map<String, String> environment, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the service first (mvn package)");
        }
        this.jar = jar;
        this.port = freePort();
        this.environment = new HashMap<>(environment);
        this.environment.put("HTTP_PORT", String.valueOf(port));
        this.log = log;
    }

    /** Starts the service and waits until it reports ready. */
    public ServiceProcess start() {
        long launched = System.nanoTime();
        process = launch();
        awaitReady(Duration.ofSeconds(60));
        startupTime = Duration.ofNanos(System.nanoTime() - launched);
        return this;
    }

    /**
     * How long the last {@link #start()} took from launching the JVM to the first ready answer of
     * {@code /q/health/ready} (looked at every 50 ms); null before the first start.
     */
    public Duration startupTime() {
        return startupTime;
    }

    /** The running process's id (for its RSS and threads in /proc); fails when it is not running. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(jar.getFileName() + " is not running");
        }
        return process.pid();
    }

    /** Sets one more variable of the service's environment, for its next start (e.g. a URL naming its own port). */
    public ServiceProcess withSetting(String name, String value) {
        environment.put(name, value);
        return this;
    }

    private Process launch() {
        // the client compiler only, as deployed (docs/decisions/0021-client-compiler-only.md)
        ProcessBuilder builder =
                new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + jar, e);
        }
    }

    /**
     * Starts the service expecting it to refuse to start (a production-safety test): waits until the process exits
     * and returns its exit code. Fails when it is still running after {@code timeout}.
     */
    public int startExpectingExit(Duration timeout) {
        process = launch();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(jar.getFileName() + " still ran after " + timeout + "; see " + log);
            }
            int code = process.exitValue();
            process = null;
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the process has written so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process at once (SIGKILL) and waits until it is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        jar.getFileName() + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new IllegalStateException(jar.getFileName() + " was not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The support contact ({@code SUPPORT_CONTACT}) the packaged services of a test name to sellers. */
    public static final String SUPPORT_CONTACT = "@neurocards_test_help";

    /** The environment that points a service at a test's own vhost and database. */
    public static Map<String, String> environmentFor(TestInfrastructure infra) {
        Map<String, String> env = new HashMap<>(infra.environment());
        // small pools: the suite's connection budget (README, "Connection budget")
        env.put("DB_POOL_MAX_SIZE", String.valueOf(SERVICE_POOL_SIZE));
        env.put("DB_SENDS_POOL_MAX_SIZE", "1"); // the gateway's and the pipeline's pool for Telegram sends
        // the packaged jars run in production mode, which refuses to start without these (docs/security.md)
        env.put("BILLING_INTERNAL_TOKEN", randomSecret());
        env.put("SUPPORT_CONTACT", SUPPORT_CONTACT);
        return env;
    }

    /** A fresh random secret (64 hex characters), like the ones {@code openssl rand -hex 32} makes. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A random token of a real bot token's shape ({@code <bot id>:<35 characters>}), for the Telegram emulator. */
    public static String randomBotToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        StringBuilder token = new StringBuilder()
                .append(1_000_000_000L + RANDOM.nextInt(1_000_000_000))
                .append(':');
        for (int i = 0; i < 35; i++) {
            token.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    /**
     * Like {@link #environmentFor(TestInfrastructure)}, connecting as {@code role}'s own broker user of the test's
     * vhost (random password) with that user's rights only, so the service declares just its own topology.
     */
    public static Map<String, String> environmentFor(TestInfrastructure infra, BrokerUser role) {
        Map<String, String> env = environmentFor(infra);
        TestVhost.BrokerCredentials credentials = infra.vhost().user(role);
        env.put("RABBITMQ_USER", credentials.user());
        env.put("RABBITMQ_PASSWORD", credentials.password());
        env.put("RABBITMQ_DECLARE_TOPOLOGY", "own");
        return env;
    }

    /**
     * {@code env} (the settings a whole system shares) with {@code role}'s own broker user of the test's vhost, so
     * each service of a system runs with its own rights, as in production.
     */
    public static Map<String, String> withBrokerUser(
            Map<String, String> env, TestInfrastructure infra, BrokerUser role) {
        Map<String, String> own = new HashMap<>(env);
        Map<String, String> user = environmentFor(infra, role);
        for (String name : new String[] {"RABBITMQ_USER", "RABBITMQ_PASSWORD", "RABBITMQ_DECLARE_TOPOLOGY"}) {
            own.put(name, user.get(name));
        }
        return own;
    }

    /** A log file under {@code target/} for a service started by a test. */
    public static Path logFile(String name) {
        File dir = new File("target/service-logs");
        dir.mkdirs();
        return dir.toPath().resolve(name + ".log");
    }
}
