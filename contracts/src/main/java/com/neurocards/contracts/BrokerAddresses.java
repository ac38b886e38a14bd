package com.neurocards.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The broker nodes a client may connect to, read the one way for the services, the CLI and the tests:
 * {@code RABBITMQ_ADDRESSES} ({@code host:port,host:port,...}) when it is set, else the one node of
 * {@code RABBITMQ_HOST} and {@code RABBITMQ_PORT}. A client given several connects to one of them and, when that node
 * goes, reconnects to another (docs/decisions/0019-rabbitmq-cluster-addresses.md).
 */
public final class BrokerAddresses {

    /** One node: a host name or IP address (IPv6 in brackets) and its AMQP port. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private BrokerAddresses() {}

    /**
     * {@code addresses} when it names at least one node, else {@code host}:{@code port}. A node without a port gets
     * {@code port}.
     *
     * @throws IllegalArgumentException on a malformed entry, naming it (an address list holds no secret)
     */
    public static List<Node> of(String addresses, String host, int port) {
        if (addresses == null || addresses.isBlank()) {
            return List.of(new Node(host, port));
        }
        List<Node> nodes = new ArrayList<>();
        for (String entry : addresses.split(",")) {
            String address = entry.strip();
            if (!address.isEmpty()) {
                nodes.add(parse(address, port));
            }
        }
        if (nodes.isEmpty()) {
            return List.of(new Node(host, port));
        }
        return List.copyOf(nodes);
    }

    /** The nodes as {@code RABBITMQ_ADDRESSES} writes them. */
    public static String describe(List<Node> nodes) {
        return nodes.stream().map(Node::toString).collect(Collectors.joining(","));
    }

    private static Node parse(String address, int defaultPort) {
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0) {
                throw malformed(address);
            }
            host = address.substring(1, close);
            String rest = address.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw malformed(address);
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon != address.indexOf(':')) {
                throw malformed(address); // an IPv6 address needs brackets
            }
            host = colon < 0 ? address : address.substring(0, colon);
            port = colon < 0 ? null : address.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw malformed(address);
        }
        if (port == null) {
            return new Node(host, defaultPort);
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw malformed(address);
            }
            return new Node(host, number);
        } catch (NumberFormatException e) {
            throw malformed(address);
        }
    }

    private static IllegalArgumentException malformed(String address) {
        return new IllegalArgumentException("RABBITMQ_ADDRESSES: '" + address
                + "' is not host:port (expected host:port,host:port,...; an IPv6 address as [::1]:5672)");
    }
}
