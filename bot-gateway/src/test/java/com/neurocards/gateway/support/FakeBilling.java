package com.neurocards.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Billing's internal HTTP API as the gateway uses it, in a JDK HTTP server: balances (opened with the welcome
 * credits on first ask) and grants (409 below zero, idempotent by key), each only for a caller presenting
 * {@link #TOKEN} in {@code X-Internal-Token} (401 otherwise, as billing with {@code BILLING_INTERNAL_TOKEN} set).
 * {@link #down(boolean)} makes it answer 503, {@link #slow(boolean)} makes it answer after the gateway's timeout.
 */
public final class FakeBilling implements AutoCloseable {

    public static final long WELCOME = 3;
    /** The internal-API secret the gateway is configured with ({@code BILLING_INTERNAL_TOKEN}). */
    public static final String TOKEN = "fake-billing-internal-token";

    private static final Pattern BALANCE = Pattern.compile("/internal/balances/(\\d+)");
    private static final Pattern FIELD =
            Pattern.compile("\"(userId|amount|idempotencyKey|reason)\"\\s*:\\s*(\"([^\"]*)\"|-?\\d+)");

    private final HttpServer server;
    private final Map<Long, Long> balances = new ConcurrentHashMap<>();
    private final Map<String, Long> grants = new ConcurrentHashMap<>();
    private final List<String> grantRequests = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile boolean slow;

    public FakeBilling() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void down(boolean value) {
        down = value;
    }

    public void slow(boolean value) {
        slow = value;
    }

    public void setBalance(long userId, long balance) {
        balances.put(userId, balance);
    }

    public long balance(long userId) {
        return balances.getOrDefault(userId, WELCOME);
    }

    public List<String> grantRequests() {
        return List.copyOf(grantRequests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (slow) {
                Thread.sleep(4000);
            }
            if (down) {
                respond(exchange, 503, "{\"error\":\"down\"}");
                return;
            }
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                respond(exchange, 401, "{\"error\":\"missing or wrong X-Internal-Token\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher balance = BALANCE.matcher(path);
            if ("GET".equals(exchange.getRequestMethod()) && balance.matches()) {
                long userId = Long.parseLong(balance.group(1));
                long amount = balances.computeIfAbsent(userId, id -> WELCOME);
                respond(exchange, 200, "{\"userId\":" + userId + ",\"balance\":" + amount + "}");
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/internal/grants")) {
                grant(exchange, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } else {
                respond(exchange, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void grant(HttpExchange exchange, String body) throws IOException {
        grantRequests.add(body);
        Map<String, String> fields = new HashMap<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        long userId = Long.parseLong(fields.get("userId"));
        long amount = Long.parseLong(fields.get("amount"));
        String key = fields.get("idempotencyKey");
        Long done = grants.get(key);
        if (done != null) {
            respond(exchange, 200, "{\"userId\":" + userId + ",\"balanceAfter\":" + done + ",\"applied\":false}");
            return;
        }
        long after = balances.getOrDefault(userId, WELCOME) + amount;
        if (after < 0) {
            respond(exchange, 409, "{\"error\":\"would go below zero\"}");
            return;
        }
        balances.put(userId, after);
        grants.put(key, after);
        respond(exchange, 200, "{\"userId\":" + userId + ",\"balanceAfter\":" + after + ",\"applied\":true}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
