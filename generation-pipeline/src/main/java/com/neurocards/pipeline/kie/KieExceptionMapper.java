package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.Redaction;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.error.KieCall;
import com.neurocards.pipeline.web.KieCallbackResource;
import io.quarkus.rest.client.reactive.runtime.ResteasyReactiveResponseExceptionMapper;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import org.jboss.resteasy.reactive.client.impl.RestClientRequestContext;

/**
 * A KIE answer with an HTTP status other than 200, classified: when the body is still KIE's envelope its code and
 * text decide (as for an HTTP 200 envelope), otherwise the status does (a proxy or Cloudflare in front of KIE). KIE's
 * text never carries a configured key out of here. Answers with HTTP 200 are read by {@link KieClient}.
 */
@Singleton
public class KieExceptionMapper implements ResteasyReactiveResponseExceptionMapper<KieException> {

    private final ObjectMapper json;
    private final List<String> secrets;

    public KieExceptionMapper(ObjectMapper json, PipelineConfig config) {
        this.json = json;
        this.secrets = KieCallbackResource.secrets(config);
    }

    /** Status 0 is no answer at all (a failed connection also passes the mappers): the client's own failure stays. */
    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status > 0 && status != 200;
    }

    @Override
    public KieException toThrowable(Response response, RestClientRequestContext context) {
        KieEnvelope envelope = envelope(response);
        if (envelope == null || envelope.code() == null || envelope.code() == 200) {
            return new KieException(ErrorClassifier.kieHttp(response.getStatus()));
        }
        KieEndpoint endpoint = context.getInvokedMethod().getAnnotation(KieEndpoint.class);
        KieCall call = endpoint == null ? KieCall.CREATE : endpoint.value();
        return new KieException(
                ErrorClassifier.kieEnvelope(call, envelope.code(), Redaction.redact(envelope.text(), secrets)));
    }

    private KieEnvelope envelope(Response response) {
        try {
            String body = response.readEntity(String.class);
            return body == null || body.isBlank() ? null : json.readValue(body, KieEnvelope.class);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: a proxy's error page, or a body cut off
        }
    }
}
