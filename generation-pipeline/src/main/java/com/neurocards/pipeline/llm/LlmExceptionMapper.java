package com.neurocards.pipeline.llm;

import com.neurocards.pipeline.error.ErrorClassifier;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** An LLM answer with an HTTP status other than 200, classified by its status (and {@code Retry-After}, if any). */
public class LlmExceptionMapper implements ResponseExceptionMapper<LlmException> {

    /** Status 0 is no answer at all (a failed connection also passes the mappers): the client's own failure stays. */
    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status > 0 && status != 200;
    }

    @Override
    public LlmException toThrowable(Response response) {
        return new LlmException(
                ErrorClassifier.llmHttp(response.getStatus(), seconds(response.getHeaderString("Retry-After"))));
    }

    private static Duration seconds(String value) {
        try {
            return value == null ? null : Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
