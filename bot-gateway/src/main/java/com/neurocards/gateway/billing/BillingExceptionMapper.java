package com.neurocards.gateway.billing;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * What billing's statuses mean to the gateway: 409 is billing refusing a grant that would take a balance below zero
 * (an answer, not an outage); any other status but 200/201 is billing not answering usefully.
 */
public class BillingExceptionMapper implements ResponseExceptionMapper<RuntimeException> {

    /** Status 0 is no answer at all (a failed connection also passes the mappers): the client's own failure stays. */
    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status > 0 && status != 200 && status != 201;
    }

    @Override
    public RuntimeException toThrowable(Response response) {
        if (response.getStatus() == 409) {
            return new BillingClient.BelowZeroException();
        }
        return new BillingClient.BillingUnavailableException("billing answered " + response.getStatus(), null);
    }
}
