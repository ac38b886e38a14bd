package com.neurocards.billing.rest;

import com.neurocards.billing.service.ConservationCheck;
import com.neurocards.billing.service.CreditService;
import com.neurocards.billing.service.InsufficientCreditsException;
import com.neurocards.contracts.billing.Balance;
import com.neurocards.contracts.billing.BillingError;
import com.neurocards.contracts.billing.GrantRequest;
import com.neurocards.contracts.billing.Granted;
import com.neurocards.messaging.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Billing's small internal API, for the gateway's menu, support tools and test harnesses. Every call must present
 * {@code BILLING_INTERNAL_TOKEN} ({@link InternalTokenFilter}); billing listens on {@code BILLING_HTTP_HOST}, loopback
 * unless set (docs/security.md). Its bodies are the records of
 * {@code com.neurocards.contracts.billing}, which the gateway's client reads too.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalResource {

    private final Transactions transactions;
    private final Pool pool;
    private final CreditService credits;
    private final ConservationCheck conservation;

    public InternalResource(
            Transactions transactions, Pool pool, CreditService credits, ConservationCheck conservation) {
        this.transactions = transactions;
        this.pool = pool;
        this.credits = credits;
        this.conservation = conservation;
    }

    /** The user's balance. A read never writes: an unknown user is "no account yet", and nothing is created. */
    @GET
    @Path("/balances/{userId}")
    public Uni<Balance> balance(@PathParam("userId") long userId) {
        if (userId <= 0) {
            throw new BadRequestException("userId must be positive");
        }
        return credits.balance(pool, userId);
    }

    /** A support grant, positive or negative, idempotent by the caller's key; 409 when it would go below zero. */
    @POST
    @Path("/grants")
    public Uni<Response> grant(GrantRequest request) {
        String problem = problemWith(request);
        if (problem != null) {
            return Uni.createFrom().item(error(Response.Status.BAD_REQUEST, problem));
        }
        return transactions
                .inTransaction(tx -> credits.grant(
                        tx,
                        request.userId(),
                        request.amount(),
                        request.reason().strip(),
                        request.idempotencyKey().strip()))
                .map(result -> Response.ok(new Granted(result.userId(), result.balanceAfter(), result.applied()))
                        .build())
                .onFailure(InsufficientCreditsException.class)
                .recoverWithItem(e -> error(Response.Status.CONFLICT, e.getMessage()));
    }

    /**
     * Violations of credit conservation; an empty list means every balance adds up. Bounded: at most
     * {@link ConservationCheck#MAX_VIOLATIONS} rows, and a time limit on the query.
     */
    @GET
    @Path("/conservation")
    public Uni<List<ConservationCheck.Violation>> conservation() {
        return conservation.violations();
    }

    private static String problemWith(GrantRequest request) {
        if (request == null || request.userId() == null || request.userId() <= 0) {
            return "userId must be a positive number";
        }
        if (request.amount() == null || request.amount() == 0) {
            return "amount must be a non-zero number of credits";
        }
        if (request.reason() == null
                || request.reason().isBlank()
                || request.reason().length() > 500) {
            return "reason is required (at most 500 characters)";
        }
        if (request.idempotencyKey() == null
                || request.idempotencyKey().isBlank()
                || request.idempotencyKey().length() > 200) {
            return "idempotencyKey is required (at most 200 characters)";
        }
        return null;
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(new BillingError(message)).build();
    }
}
