package com.neurocards.testing;

import com.neurocards.contracts.BrokerAddresses;
import com.rabbitmq.client.Address;
import java.net.URI;
import java.util.List;

/**
 * A RabbitMQ broker as the tests reach it: its AMQP nodes (the one local broker, or every node of a cluster), the
 * management API of each node, and an administrator's credentials. {@link #local()} is the broker of
 * {@link LocalServices}; a cluster test names its own nodes ({@link #cluster}).
 */
public record BrokerEndpoint(
        List<BrokerAddresses.Node> nodes, List<URI> managementUrls, String adminUser, String adminPassword) {

    public BrokerEndpoint {
        nodes = List.copyOf(nodes);
        managementUrls = List.copyOf(managementUrls);
        if (nodes.isEmpty() || managementUrls.isEmpty()) {
            throw new IllegalArgumentException("a broker needs at least one node and one management API");
        }
    }

    /** The local services' broker (or its container): one node. */
    public static BrokerEndpoint local() {
        return new BrokerEndpoint(
                List.of(new BrokerAddresses.Node(LocalServices.rabbitHost(), LocalServices.rabbitPort())),
                List.of(URI.create(
                        "http://" + LocalServices.rabbitHost() + ":" + LocalServices.rabbitManagementPort())),
                LocalServices.rabbitUser(),
                LocalServices.rabbitPassword());
    }

    /**
     * The nodes of a cluster on {@code host}: node i listens for AMQP on {@code amqpPorts[i]} and serves its
     * management API on {@code managementPorts[i]}.
     */
    public static BrokerEndpoint cluster(
            String host,
            List<Integer> amqpPorts,
            List<Integer> managementPorts,
            String adminUser,
            String adminPassword) {
        return new BrokerEndpoint(
                amqpPorts.stream()
                        .map(port -> new BrokerAddresses.Node(host, port))
                        .toList(),
                managementPorts.stream()
                        .map(port -> URI.create("http://" + host + ":" + port))
                        .toList(),
                adminUser,
                adminPassword);
    }

    /** The nodes as {@code RABBITMQ_ADDRESSES} writes them. */
    public String addresses() {
        return BrokerAddresses.describe(nodes);
    }

    /** The nodes for the RabbitMQ client's {@code newConnection(List<Address>)}. */
    public List<Address> amqpAddresses() {
        return nodes.stream().map(node -> new Address(node.host(), node.port())).toList();
    }

    public boolean clustered() {
        return nodes.size() > 1;
    }

    @Override
    public String toString() {
        return "RabbitMQ " + addresses() + " (management " + managementUrls + ")"; // never the password
    }
}
