package com.neurocards.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Where the tests' RabbitMQ and PostgreSQL answer, and with which credentials. */
record ServiceEndpoints(
        String rabbitHost,
        int rabbitPort,
        int rabbitManagementPort,
        String rabbitUser,
        String rabbitPassword,
        String dbHost,
        int dbPort,
        String dbUser,
        String dbPassword) {

    /** The local services: the environment variables the services read, else a developer machine's defaults. */
    static ServiceEndpoints fromEnvironment() {
        return new ServiceEndpoints(
                LocalServices.env("RABBITMQ_HOST", "127.0.0.1"),
                Integer.parseInt(LocalServices.env("RABBITMQ_PORT", "5672")),
                Integer.parseInt(LocalServices.env("RABBITMQ_MANAGEMENT_PORT", "15672")),
                LocalServices.env("RABBITMQ_USER", "guest"),
                LocalServices.env("RABBITMQ_PASSWORD", "guest"),
                LocalServices.env("DB_HOST", "127.0.0.1"),
                Integer.parseInt(LocalServices.env("DB_PORT", "5432")),
                LocalServices.env("DB_USER", "postgres"),
                LocalServices.env("DB_PASSWORD", ""));
    }

    /** Whether the broker (AMQP and management) and the database accept connections. */
    boolean answer(Duration timeout) {
        return accepts(rabbitHost, rabbitPort, timeout)
                && accepts(rabbitHost, rabbitManagementPort, timeout)
                && accepts(dbHost, dbPort, timeout);
    }

    String describe() {
        return "RabbitMQ " + rabbitHost + ":" + rabbitPort + " (management " + rabbitManagementPort + "), PostgreSQL "
                + dbHost + ":" + dbPort;
    }

    private static boolean accepts(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
