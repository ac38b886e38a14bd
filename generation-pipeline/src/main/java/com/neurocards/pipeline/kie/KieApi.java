package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.neurocards.pipeline.error.KieCall;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * KIE's API host ({@code quarkus.rest-client.kie.*}, {@code KIE_API_URL}): Veo create and record-info, the Market
 * ("jobs") create and recordInfo (Sora 2), and the credit balance. Every answer is a {@link KieEnvelope}; a status other than 200 becomes a classified {@link KieException}
 * ({@link KieExceptionMapper}). {@code bearer} is {@code "Bearer <key>"}: each call says which key it uses.
 */
@RegisterRestClient(configKey = "kie")
@RegisterProvider(KieExceptionMapper.class)
@Produces(MediaType.APPLICATION_JSON)
public interface KieApi {

    @POST
    @Path("/api/v1/veo/generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @KieEndpoint(KieCall.CREATE)
    Uni<KieEnvelope> generate(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, VeoGenerate request);

    @GET
    @Path("/api/v1/veo/record-info")
    @KieEndpoint(KieCall.RECORD_INFO)
    Uni<KieEnvelope> recordInfo(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("taskId") String taskId);

    @POST
    @Path("/api/v1/jobs/createTask")
    @Consumes(MediaType.APPLICATION_JSON)
    @KieEndpoint(KieCall.CREATE)
    Uni<KieEnvelope> createTask(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, MarketCreate request);

    @GET
    @Path("/api/v1/jobs/recordInfo")
    @KieEndpoint(KieCall.RECORD_INFO)
    Uni<KieEnvelope> marketRecordInfo(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @QueryParam("taskId") String taskId);

    @GET
    @Path("/api/v1/chat/credit")
    @KieEndpoint(KieCall.CREDIT)
    Uni<KieEnvelope> credit(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);

    /**
     * The body of {@code POST /api/v1/veo/generate}: image-to-video, the ratio under both spellings KIE's documents
     * use ({@code aspectRatio}, {@code aspect_ratio}), translation on, no {@code enableFallback}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VeoGenerate(
            String prompt,
            List<String> imageUrls,
            String model,
            String generationType,
            String aspectRatio,
            @JsonProperty("aspect_ratio") String aspectRatioSnakeCase,
            boolean enableTranslation,
            String callBackUrl) {

        static VeoGenerate of(VeoRequest veo) {
            String callback = veo.callbackUrl() == null || veo.callbackUrl().isBlank() ? null : veo.callbackUrl();
            return new VeoGenerate(
                    veo.prompt(),
                    List.of(veo.imageUrl()),
                    veo.model(),
                    "FIRST_AND_LAST_FRAMES_2_VIDEO",
                    veo.aspectRatio(),
                    veo.aspectRatio(),
                    true,
                    callback);
        }
    }

    /** {@code data} of a create. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record VeoTask(String taskId) {}

    /**
     * {@code data} of record-info. {@code errorCode} comes as a number or a string; {@code successFlag} 0 generating,
     * 1 success, 2 failed, 3 generation failed.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record VeoRecord(Integer successFlag, VeoResult response, String errorCode, String errorMessage) {}

    /** {@code data.response} of record-info: the video URLs (an array per the docs, a JSON string in one rendering). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record VeoResult(@JsonDeserialize(using = UrlListDeserializer.class) List<String> resultUrls, String resolution) {}

    /**
     * The body of {@code POST /api/v1/jobs/createTask} for an image-to-video model (Sora 2): KIE fills in no default
     * of a required field, so every field is sent; the ratio is Market's word for it ({@code portrait} for 9:16).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MarketCreate(String model, MarketInput input, String callBackUrl) {

        static MarketCreate of(VeoRequest request) {
            String callback =
                    request.callbackUrl() == null || request.callbackUrl().isBlank() ? null : request.callbackUrl();
            return new MarketCreate(
                    request.model(),
                    new MarketInput(
                            request.prompt(),
                            List.of(request.imageUrl()),
                            marketRatio(request.aspectRatio()),
                            "10",
                            true),
                    callback);
        }

        /** Market knows only {@code portrait} and {@code landscape}: a taller-than-wide ratio is portrait. */
        static String marketRatio(String aspectRatio) {
            if (aspectRatio == null) {
                return "portrait";
            }
            String[] sides = aspectRatio.split(":");
            try {
                return sides.length == 2 && Double.parseDouble(sides[0]) > Double.parseDouble(sides[1])
                        ? "landscape"
                        : "portrait";
            } catch (NumberFormatException e) {
                return "portrait";
            }
        }
    }

    /** {@code input} of a Market image-to-video create. */
    record MarketInput(
            String prompt,
            @JsonProperty("image_urls") List<String> imageUrls,
            @JsonProperty("aspect_ratio") String aspectRatio,
            @JsonProperty("n_frames") String frames,
            @JsonProperty("remove_watermark") boolean removeWatermark) {}

    /**
     * {@code data} of Market's recordInfo: {@code state} waiting, queuing, generating, success or fail;
     * {@code resultJson} a JSON <em>string</em> ({@code {"resultUrls":[…]}}) on success; {@code failCode} a string.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MarketRecord(String taskId, String state, String resultJson, String failCode, String failMsg) {}

    /** Market's {@code resultJson}, once read from its string: the media URLs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MarketResult(@JsonDeserialize(using = UrlListDeserializer.class) List<String> resultUrls) {}
}
