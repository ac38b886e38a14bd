package com.neurocards.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * A RabbitMQ virtual host of its own for one test class, made and removed through the management API, so tests never
 * see each other's messages, nor those of a local demo running on the same broker. The admin user of the local
 * broker (guest) has every right in it, for the tests' own probes; each {@link BrokerUser} gets a user of this vhost's
 * own ({@code <vhost>-<role>}, made on first use with a random password, removed with the vhost) with exactly the
 * permissions the broker definitions give it, so a service a test starts runs with the rights it has in production.
 *
 * <p>On a cluster ({@link #create(BrokerEndpoint)}) each call goes to the management API of the first node that
 * answers, so the vhost can be managed while a node is down.
 */
public final class TestVhost implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String name;
    private final BrokerEndpoint broker;
    private final Map<BrokerUser, BrokerCredentials> users = new EnumMap<>(BrokerUser.class);

    private TestVhost(String name, BrokerEndpoint broker) {
        this.name = name;
        this.broker = broker;
    }

    /** A broker user name and password. */
    public record BrokerCredentials(String user, String password) {
        @Override
        public String toString() {
            return user; // never the password
        }
    }

    /** A vhost on the local services' broker. */
    public static TestVhost create() {
        return create(BrokerEndpoint.local());
    }

    /** A vhost on {@code broker} (a cluster's vhosts and users live on every node). */
    public static TestVhost create(BrokerEndpoint broker) {
        TestVhost vhost =
                new TestVhost("nc-test-" + UUID.randomUUID().toString().substring(0, 8), broker);
        vhost.call("PUT", "/api/vhosts/" + vhost.encoded(), "{}");
        vhost.call(
                "PUT",
                "/api/permissions/" + vhost.encoded() + "/" + enc(broker.adminUser()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return vhost;
    }

    public String name() {
        return name;
    }

    /** The broker this vhost is on. */
    public BrokerEndpoint broker() {
        return broker;
    }

    /** The name of {@code role}'s user in this vhost, whether or not it was made yet. */
    public String userName(BrokerUser role) {
        return name + "-" + role.role();
    }

    /** {@code role}'s user in this vhost, made (with a random password) on first use. */
    public synchronized BrokerCredentials user(BrokerUser role) {
        BrokerCredentials credentials = users.get(role);
        if (credentials == null) {
            byte[] secret = new byte[24];
            RANDOM.nextBytes(secret);
            credentials = new BrokerCredentials(
                    userName(role), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            String tags = String.join(",", role.tags());
            call(
                    "PUT",
                    "/api/users/" + enc(credentials.user()),
                    json(Map.of("password", credentials.password(), "tags", tags)));
            users.put(role, credentials);
            call(
                    "PUT",
                    "/api/permissions/" + encoded() + "/" + enc(credentials.user()),
                    json(Map.of("configure", role.configure(), "write", role.write(), "read", role.read())));
        }
        return credentials;
    }

    private static String json(Map<String, String> fields) {
        try {
            return EventCodec.mapper().writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The management API's view of a queue in this vhost, as JSON text. */
    public String queueJson(String queue) {
        return call("GET", "/api/queues/" + encoded() + "/" + enc(queue), null);
    }

    /**
     * The management API's view of every queue in this vhost, as JSON text: an array with, for a quorum queue of a
     * cluster, its {@code leader}, {@code members} and {@code online} nodes.
     */
    public String queuesJson() {
        return call("GET", "/api/queues/" + encoded(), null);
    }

    /** Deletes a queue as an operator would in the console: the broker cancels its consumers. */
    public void deleteQueue(String queue) {
        call("DELETE", "/api/queues/" + encoded() + "/" + enc(queue), null);
    }

    /**
     * Limits what the local admin user (the user a test's in-process application connects as) may configure in this
     * vhost to the names {@code configureRegex} matches; {@code ".*"} gives every right back.
     */
    public void limitAdminConfigure(String configureRegex) {
        call(
                "PUT",
                "/api/permissions/" + encoded() + "/" + enc(broker.adminUser()),
                json(Map.of("configure", configureRegex, "write", ".*", "read", ".*")));
    }

    /**
     * Closes the connections a client opened under {@code connectionName} (a service names its connection after
     * itself), as a network cut or a killed process would. Clients with automatic recovery reconnect; messages they
     * had not acked are delivered again.
     */
    public int closeConnections(String connectionName) {
        try {
            JsonNode connections =
                    EventCodec.mapper().readTree(call("GET", "/api/vhosts/" + encoded() + "/connections", null));
            int closed = 0;
            for (JsonNode connection : connections) {
                if (connectionName.equals(
                        connection.at("/client_properties/connection_name").asText())) {
                    call(
                            "DELETE",
                            "/api/connections/" + enc(connection.get("name").asText()),
                            null);
                    closed++;
                }
            }
            return closed;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes every client connection to this vhost through the management API (what a broker node going away does to
     * the clients connected to it); returns how many were closed. Clients with automatic recovery reconnect.
     */
    public int closeAllConnections() {
        try {
            JsonNode connections =
                    EventCodec.mapper().readTree(call("GET", "/api/vhosts/" + encoded() + "/connections", null));
            int closed = 0;
            for (JsonNode connection : connections) {
                try {
                    call(
                            "DELETE",
                            "/api/connections/" + enc(connection.get("name").asText()),
                            null);
                    closed++;
                } catch (IllegalStateException gone) {
                    // closed by its client meanwhile
                }
            }
            return closed;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            call("DELETE", "/api/vhosts/" + encoded(), null);
        } finally {
            for (BrokerCredentials credentials : users.values()) {
                call("DELETE", "/api/users/" + enc(credentials.user()), null);
            }
            users.clear();
        }
    }

    private String encoded() {
        return enc(name);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One call to the management API of the first node of the broker that answers. */
    private String call(String method, String path, String body) {
        String auth = Base64.getEncoder()
                .encodeToString((broker.adminUser() + ":" + broker.adminPassword()).getBytes(StandardCharsets.UTF_8));
        IOException unreachable = null;
        for (URI management : broker.managementUrls()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(management + path))
                    .header("Authorization", "Basic " + auth)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException("RabbitMQ management API " + method + " " + path + " answered "
                            + response.statusCode() + ": " + response.body());
                }
                return response.body();
            } catch (IOException e) {
                unreachable = e; // this node is down: the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(
                "RabbitMQ management API is not reachable at " + broker.managementUrls() + " (run infra/local/up.sh): "
                        + unreachable.getMessage(),
                unreachable);
    }
}
