package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.neurocards.pipeline.error.KieCall;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * KIE's file-upload host, a different one from the API's ({@code quarkus.rest-client.kie-upload.*},
 * {@code KIE_UPLOAD_URL}), with the same key and envelope.
 */
@RegisterRestClient(configKey = "kie-upload")
@RegisterProvider(KieExceptionMapper.class)
@Produces(MediaType.APPLICATION_JSON)
public interface KieUploadApi {

    /** Multipart: {@code file} (the bytes), {@code uploadPath}, {@code fileName}. */
    @POST
    @Path("/api/file-stream-upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @KieEndpoint(KieCall.UPLOAD)
    Uni<KieEnvelope> upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, ClientMultipartForm form);

    /** {@code data} of an upload: KIE serves the file from {@code downloadUrl} (older answers: {@code fileUrl}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UploadedFile(String downloadUrl, String fileUrl) {}
}
