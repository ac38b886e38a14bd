package com.neurocards.billing.rest;

import com.neurocards.billing.config.BillingConfig;
import com.neurocards.contracts.billing.BillingError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** When {@code BILLING_INTERNAL_TOKEN} is set, {@code /internal} answers only callers that present it. */
public class InternalTokenFilter {

    static final String HEADER = "X-Internal-Token";

    private final Optional<String> token;

    public InternalTokenFilter(BillingConfig config) {
        this.token = config.internalToken().filter(value -> !value.isBlank());
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (token.isEmpty() || !request.getUriInfo().getPath().startsWith("/internal")) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(HEADER);
        boolean ok = presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8));
        return ok
                ? Optional.empty()
                : Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                        .entity(new BillingError("missing or wrong " + HEADER))
                        .build());
    }
}
