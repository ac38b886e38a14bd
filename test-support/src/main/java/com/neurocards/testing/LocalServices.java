package com.neurocards.testing;

import java.time.Duration;
import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' RabbitMQ and PostgreSQL are. By default the machine's own services, found through the same
 * variables the services read ({@code RABBITMQ_HOST}, {@code DB_PORT}, ...) with the defaults of a developer machine
 * (and of CI); when they do not answer and Docker does, containers started once for the whole test JVM. The switch
 * {@code -Dneurocards.test.infra=auto|local|containers} (or {@code NEUROCARDS_TEST_INFRA}) asks for one source; see
 * {@link InfrastructureChoice}. Chosen at the first call, then fixed for the JVM.
 */
public final class LocalServices {

    /** Long enough for a service on this machine or the local network, short enough not to slow a run down. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static ServiceEndpoints endpoints;

    private LocalServices() {}

    public static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static String rabbitHost() {
        return endpoints().rabbitHost();
    }

    public static int rabbitPort() {
        return endpoints().rabbitPort();
    }

    public static int rabbitManagementPort() {
        return endpoints().rabbitManagementPort();
    }

    public static String rabbitUser() {
        return endpoints().rabbitUser();
    }

    public static String rabbitPassword() {
        return endpoints().rabbitPassword();
    }

    public static String dbHost() {
        return endpoints().dbHost();
    }

    public static int dbPort() {
        return endpoints().dbPort();
    }

    public static String dbUser() {
        return endpoints().dbUser();
    }

    public static String dbPassword() {
        return endpoints().dbPassword();
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost() + ":" + dbPort() + "/" + database;
    }

    private static synchronized ServiceEndpoints endpoints() {
        if (endpoints == null) {
            ServiceEndpoints local = ServiceEndpoints.fromEnvironment();
            InfrastructureChoice.Mode mode = InfrastructureChoice.Mode.parse(
                    System.getProperty(InfrastructureChoice.PROPERTY, env(InfrastructureChoice.VARIABLE, "auto")));
            InfrastructureChoice.Source source = InfrastructureChoice.choose(
                    mode,
                    () -> local.answer(PROBE_TIMEOUT),
                    () -> DockerClientFactory.instance().isDockerAvailable(),
                    local.describe());
            endpoints = source == InfrastructureChoice.Source.LOCAL ? local : ServiceContainers.start();
        }
        return endpoints;
    }
}
