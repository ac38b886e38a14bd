package com.neurocards.billing.rest;

import com.neurocards.billing.config.BillingConfig;
import com.neurocards.contracts.billing.BillingError;
import com.neurocards.messaging.safety.Secrets;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code /internal} answers only callers that present {@code BILLING_INTERNAL_TOKEN} in {@value #HEADER}, compared in
 * constant time. Without a configured token the API is shut, not open: production refuses to start without one
 * ({@code BillingSafety}), and any other profile answers 401 until one is set.
 */
public class InternalTokenFilter {

    public static final String HEADER = "X-Internal-Token";

    private final Optional<String> token;

    public InternalTokenFilter(BillingConfig config) {
        this.token = config.internalToken().filter(value -> !value.isBlank());
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal")) {
            return Optional.empty();
        }
        return refusal(token, request.getHeaderString(HEADER))
                .map(message -> Response.status(Response.Status.UNAUTHORIZED)
                        .entity(new BillingError(message))
                        .build());
    }

    /** Why a call presenting {@code presented} is refused, or empty when it may pass. */
    static Optional<String> refusal(Optional<String> expected, String presented) {
        if (expected.isEmpty()) {
            return Optional.of("billing's internal API is closed: BILLING_INTERNAL_TOKEN is not set");
        }
        if (presented == null || presented.isEmpty()) {
            return Optional.of("missing " + HEADER);
        }
        return Secrets.matches(expected.get(), presented) ? Optional.empty() : Optional.of("wrong " + HEADER);
    }
}
