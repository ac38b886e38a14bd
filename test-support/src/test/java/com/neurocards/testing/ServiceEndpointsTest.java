package com.neurocards.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceEndpointsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Test
    void servicesAnswerOnlyWhenTheBrokerItsManagementApiAndTheDatabaseAllAcceptConnections() throws IOException {
        try (ServerSocket amqp = listen();
                ServerSocket management = listen();
                ServerSocket db = listen()) {
            assertThat(at(amqp.getLocalPort(), management.getLocalPort(), db.getLocalPort())
                            .answer(TIMEOUT))
                    .isTrue();

            int closed = closedPort();
            assertThat(at(closed, management.getLocalPort(), db.getLocalPort()).answer(TIMEOUT))
                    .isFalse();
            assertThat(at(amqp.getLocalPort(), closed, db.getLocalPort()).answer(TIMEOUT))
                    .isFalse();
            assertThat(at(amqp.getLocalPort(), management.getLocalPort(), closed)
                            .answer(TIMEOUT))
                    .isFalse();
        }
    }

    @Test
    void theDescriptionNamesEveryPortButNoPassword() {
        ServiceEndpoints endpoints = new ServiceEndpoints(
                "rabbit.example", 5673, 15673, "guest", "s3cret", "db.example", 5433, "postgres", "pw-db");
        assertThat(endpoints.describe())
                .contains("rabbit.example:5673", "15673", "db.example:5433")
                .doesNotContain("s3cret", "pw-db");
    }

    private static ServiceEndpoints at(int amqp, int management, int db) {
        return new ServiceEndpoints("127.0.0.1", amqp, management, "guest", "guest", "127.0.0.1", db, "postgres", "");
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A port nothing listens on (just released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = listen()) {
            return socket.getLocalPort();
        }
    }
}
