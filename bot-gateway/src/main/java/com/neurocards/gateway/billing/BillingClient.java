package com.neurocards.gateway.billing;

import com.fasterxml.jackson.core.JacksonException;
import com.neurocards.contracts.billing.Balance;
import com.neurocards.contracts.billing.GrantRequest;
import com.neurocards.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Billing's internal HTTP API: a user's balance (for a user billing has not seen yet, the welcome credits a first order opens the account with)
 * and operator grants, through {@link BillingApi}. Short timeouts ({@code quarkus.rest-client.billing.*}): a slow
 * billing must never hold a conversation up.
 */
@ApplicationScoped
public class BillingClient {

    /** What a grant came to. */
    public sealed interface GrantResult {
        record Granted(long balanceAfter) implements GrantResult {}

        /** The grant would take the balance below zero. */
        record Refused() implements GrantResult {}
    }

    /** Billing did not answer usefully (down, slow, or an unexpected status). */
    public static final class BillingUnavailableException extends RuntimeException {
        public BillingUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Billing's 409 to a grant: it would take the balance below zero. */
    static final class BelowZeroException extends RuntimeException {
        BelowZeroException() {
            super("the grant would take the balance below zero", null, false, false);
        }
    }

    private final BillingApi api;
    /** Billing's {@code X-Internal-Token} secret, or null when billing asks for none. */
    private final String internalToken;

    public BillingClient(@RestClient BillingApi api, GatewayConfig config) {
        this.api = api;
        this.internalToken =
                config.billing().internalToken().filter(t -> !t.isBlank()).orElse(null);
    }

    public Uni<Long> balance(long userId) {
        return api.balance(internalToken, userId)
                .map(Balance::balance)
                .onFailure()
                .transform(e -> unavailable("a balance", e));
    }

    public Uni<GrantResult> grant(long userId, long amount, String reason, String idempotencyKey) {
        return api.grant(internalToken, new GrantRequest(userId, amount, reason, idempotencyKey))
                .<GrantResult>map(granted -> new GrantResult.Granted(granted.balanceAfter()))
                .onFailure(BelowZeroException.class)
                .recoverWithItem(new GrantResult.Refused())
                .onFailure()
                .transform(e -> unavailable("a grant", e));
    }

    private static RuntimeException unavailable(String what, Throwable failure) {
        if (failure instanceof BillingUnavailableException known) {
            return new BillingUnavailableException(known.getMessage() + " for " + what, known);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException) {
                return new BillingUnavailableException(
                        "billing answered " + what + " with something that is not JSON", failure);
            }
        }
        return new BillingUnavailableException(
                "billing unreachable for " + what + ": " + failure.getClass().getSimpleName(), failure);
    }
}
