package com.neurocards.gateway.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocards.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Billing's internal HTTP API: a user's balance (billing opens the account with the welcome credits on first ask)
 * and operator grants. Short timeouts: a slow billing must never hold a conversation up.
 */
@ApplicationScoped
public class BillingClient {

    /** What a grant came to. */
    public sealed interface GrantResult {
        record Granted(long balanceAfter) implements GrantResult {
        }

        /** The grant would take the balance below zero. */
        record Refused() implements GrantResult {
        }
    }

    /** Billing did not answer usefully (down, slow, or an unexpected status). */
    public static final class BillingUnavailableException extends RuntimeException {
        public BillingUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;
    private final String internalToken;

    @Inject
    public BillingClient(GatewayConfig config) {
        this(config.billing().url(), config.billing().timeout(), config.billing().internalToken().filter(t -> !t.isBlank()).orElse(null));
    }

    public BillingClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** @param internalToken billing's {@code X-Internal-Token} secret, or null when billing asks for none */
    public BillingClient(String baseUrl, Duration timeout, String internalToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.internalToken = internalToken;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    private HttpRequest.Builder internal(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        return internalToken == null ? builder : builder.header("X-Internal-Token", internalToken);
    }

    public Uni<Long> balance(long userId) {
        HttpRequest request = internal("/internal/balances/" + userId).header("Accept", "application/json").GET().build();
        return send(request).map(response -> {
            if (response.statusCode() != 200) {
                throw new BillingUnavailableException("billing answered " + response.statusCode() + " for a balance", null);
            }
            return read(response.body()).path("balance").asLong();
        });
    }

    public Uni<GrantResult> grant(long userId, long amount, String reason, String idempotencyKey) {
        ObjectNode body = JSON.createObjectNode().put("userId", userId).put("amount", amount).put("reason", reason)
                .put("idempotencyKey", idempotencyKey);
        HttpRequest request = internal("/internal/grants").header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(request).map(response -> switch (response.statusCode()) {
            case 200, 201 -> new GrantResult.Granted(read(response.body()).path("balanceAfter").asLong());
            case 409 -> new GrantResult.Refused();
            default -> throw new BillingUnavailableException("billing answered " + response.statusCode() + " for a grant", null);
        });
    }

    private Uni<HttpResponse<String>> send(HttpRequest request) {
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> e instanceof BillingUnavailableException ? e
                        : new BillingUnavailableException("billing unreachable: " + e.getClass().getSimpleName(), e));
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new BillingUnavailableException("billing answered something that is not JSON", e);
        }
    }
}
