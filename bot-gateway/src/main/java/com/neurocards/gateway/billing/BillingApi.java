package com.neurocards.gateway.billing;

import com.neurocards.contracts.billing.Balance;
import com.neurocards.contracts.billing.GrantRequest;
import com.neurocards.contracts.billing.Granted;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Billing's internal HTTP API as a REST client ({@code quarkus.rest-client.billing.*}: base URL, short timeouts). The
 * bodies are billing's own records. {@code token} is billing's {@code X-Internal-Token} secret; a null one is not
 * sent (billing without a token asks for none).
 */
@RegisterRestClient(configKey = "billing")
@RegisterProvider(BillingExceptionMapper.class)
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public interface BillingApi {

    String TOKEN_HEADER = "X-Internal-Token";

    @GET
    @Path("/balances/{userId}")
    Uni<Balance> balance(@HeaderParam(TOKEN_HEADER) String token, @PathParam("userId") long userId);

    @POST
    @Path("/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Granted> grant(@HeaderParam(TOKEN_HEADER) String token, GrantRequest request);
}
