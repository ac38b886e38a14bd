package com.neurocards.testing;

import org.jboss.logging.Logger;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * RabbitMQ and PostgreSQL in containers, for a machine with Docker and neither installed: started once per JVM and
 * shared by every test class (each still makes its own vhost and database), removed when the JVM ends.
 */
final class ServiceContainers {

    private static final Logger LOG = Logger.getLogger(ServiceContainers.class);
    /** The images infra/compose runs; "-management" because tests make and remove vhosts through its HTTP API. */
    static final String RABBITMQ_IMAGE = "rabbitmq:3.13-management";

    static final String POSTGRES_IMAGE = "postgres:15";
    private static final int POSTGRES_PORT = 5432;

    private ServiceContainers() {}

    static ServiceEndpoints start() {
        RabbitMQContainer rabbit = new RabbitMQContainer(DockerImageName.parse(RABBITMQ_IMAGE));
        // user postgres without a password, as on a developer machine: tools given only host and port (the CLI
        // under test) connect the same way as there
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withUsername("postgres")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        LOG.infof(
                "No local RabbitMQ and PostgreSQL in use: starting %s and %s with Testcontainers",
                RABBITMQ_IMAGE, POSTGRES_IMAGE);
        Startables.deepStart(rabbit, postgres).join();
        // Testcontainers' reaper removes them when the JVM ends; this stops them sooner where the reaper is off
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            rabbit.stop();
                            postgres.stop();
                        },
                        "test-containers-stop"));
        ServiceEndpoints endpoints = new ServiceEndpoints(
                rabbit.getHost(),
                rabbit.getAmqpPort(),
                rabbit.getHttpPort(),
                rabbit.getAdminUsername(),
                rabbit.getAdminPassword(),
                postgres.getHost(),
                postgres.getMappedPort(POSTGRES_PORT),
                postgres.getUsername(),
                postgres.getPassword());
        LOG.infof("Tests use the containers: %s", endpoints.describe());
        return endpoints;
    }
}
