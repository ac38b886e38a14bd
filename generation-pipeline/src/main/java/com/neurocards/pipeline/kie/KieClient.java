package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.error.KieCall;
import com.neurocards.pipeline.web.KieCallbackResource;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * KIE (docs/outside-services.md#kie) through its REST clients ({@link KieApi}, {@link KieUploadApi}): photo upload,
 * create and poll on each model's own endpoints (Veo, or Market for Sora 2), credit.
 * Reads the {@code {code, msg, data}} envelope of every answer — KIE reports most errors as HTTP 200 with
 * {@code code != 200} — and turns anything but success into a {@link KieException} carrying its classification.
 * A call that got no usable answer after its request may have gone out (a timeout, a reset connection, an unreadable
 * body) is <em>ambiguous</em>: KIE may have done the work. Reads (record-info, credit) that got no answer at all are
 * asked once more at once; nothing else is repeated here.
 */
@ApplicationScoped
public class KieClient {

    private final KieApi api;
    private final KieUploadApi uploads;
    private final ObjectMapper json;
    private final List<String> secrets;

    public KieClient(
            @RestClient KieApi api, @RestClient KieUploadApi uploads, ObjectMapper json, PipelineConfig config) {
        this.api = api;
        this.uploads = uploads;
        this.json = json;
        this.secrets = KieCallbackResource.secrets(config);
    }

    /** Stream-uploads a file; the URL KIE serves it from ({@code data.downloadUrl}, else {@code data.fileUrl}). */
    public Uni<String> upload(String key, byte[] bytes, String fileName, String mimeType) {
        ClientMultipartForm form = ClientMultipartForm.create()
                .attribute("uploadPath", "neurocards", null)
                .attribute("fileName", fileName, null)
                .binaryFileUpload("file", fileName, Buffer.buffer(bytes), mimeType);
        return answer(uploads.upload(bearer(key), form), KieCall.UPLOAD).map(data -> {
            KieUploadApi.UploadedFile file = read(data, KieUploadApi.UploadedFile.class);
            String url = file == null ? null : file.downloadUrl() != null ? file.downloadUrl() : file.fileUrl();
            if (url == null) {
                throw new KieException(
                        new Classification(ErrorClass.UNKNOWN, 200, "KIE upload answered without a downloadUrl"));
            }
            return url;
        });
    }

    /**
     * Creates the render on the endpoint of its model's family (docs/outside-services.md#kie-video-create): Veo models
     * through {@code POST /api/v1/veo/generate}, Sora 2 through Market's {@code POST /api/v1/jobs/createTask}. The
     * task id of the new render.
     */
    public Uni<String> create(String key, VeoRequest request) {
        Uni<KieEnvelope> call = VideoModel.apiOf(request.model()) == VideoModel.Api.MARKET
                ? api.createTask(bearer(key), KieApi.MarketCreate.of(request))
                : api.generate(bearer(key), KieApi.VeoGenerate.of(request));
        return answer(call, KieCall.CREATE).map(data -> {
            KieApi.VeoTask task = data == null || !data.isObject() ? null : read(data, KieApi.VeoTask.class);
            if (task == null || task.taskId() == null) {
                // The create was accepted but the answer does not say as what: do not create it again blindly.
                throw new KieException(
                        new Classification(ErrorClass.UNKNOWN, 200, "KIE create answered without a taskId"),
                        true,
                        null);
            }
            return task.taskId();
        });
    }

    /**
     * The source of truth about a task, asked where its model's family keeps it: Veo's
     * {@code GET /api/v1/veo/record-info}, or Market's {@code GET /api/v1/jobs/recordInfo} (a task polled on the
     * other family's endpoint is unknown there).
     */
    @Retry(maxRetries = 1, delay = 200)
    @RetryWhen(exception = NoAnswer.class)
    public Uni<RecordInfo> recordInfo(String key, String taskId, String model) {
        if (VideoModel.apiOf(model) == VideoModel.Api.MARKET) {
            return answer(api.marketRecordInfo(bearer(key), taskId), KieCall.RECORD_INFO)
                    .map(data -> marketRecord(taskId, data));
        }
        return answer(api.recordInfo(bearer(key), taskId), KieCall.RECORD_INFO).map(data -> {
            KieApi.VeoRecord record = data == null || !data.isObject() ? null : read(data, KieApi.VeoRecord.class);
            if (record == null) {
                throw new KieException(
                        new Classification(ErrorClass.TEMPORARY, 200, "KIE record-info answered without data"));
            }
            KieApi.VeoResult result = record.response();
            return new RecordInfo(
                    taskId,
                    record.successFlag() == null ? -1 : record.successFlag(),
                    result == null ? List.of() : result.resultUrls(),
                    result == null ? null : result.resolution(),
                    parseInt(record.errorCode()),
                    record.errorMessage());
        });
    }

    private RecordInfo marketRecord(String taskId, JsonNode data) {
        KieApi.MarketRecord record = data == null || !data.isObject() ? null : read(data, KieApi.MarketRecord.class);
        if (record == null) {
            throw new KieException(
                    new Classification(ErrorClass.TEMPORARY, 200, "KIE recordInfo answered without data"));
        }
        List<String> urls = List.of();
        if (record.resultJson() != null && !record.resultJson().isBlank()) {
            try {
                // resultJson is a JSON string inside the JSON: {"resultUrls":[...]}
                KieApi.MarketResult result = json.readValue(record.resultJson(), KieApi.MarketResult.class);
                urls = result == null || result.resultUrls() == null ? List.of() : result.resultUrls();
            } catch (IOException e) {
                urls = List.of();
            }
        }
        return RecordInfo.ofMarket(taskId, record.state(), urls, record.failCode(), record.failMsg());
    }

    /** {@code GET /api/v1/chat/credit}: the account's credit balance as this key sees it. */
    @Retry(maxRetries = 1, delay = 200)
    @RetryWhen(exception = NoAnswer.class)
    public Uni<Long> credits(String key) {
        return answer(api.credit(bearer(key)), KieCall.CREDIT).map(data -> {
            Integer text = data != null && data.isTextual() ? parseInt(data.asText()) : null;
            if (text != null) {
                return text.longValue();
            }
            if (data == null || !data.canConvertToLong()) {
                throw new KieException(
                        new Classification(ErrorClass.TEMPORARY, 200, "KIE credit answered without a number"));
            }
            return data.asLong();
        });
    }

    /** {@code data} of a code-200 envelope; a classified {@link KieException} for everything else. */
    private Uni<JsonNode> answer(Uni<KieEnvelope> call, KieCall kind) {
        return call.onFailure().transform(this::classified).map(envelope -> {
            if (envelope == null || envelope.code() == null) {
                throw new KieException(
                        new Classification(ErrorClass.TEMPORARY, 200, "KIE answered an unreadable body"), true, null);
            }
            if (envelope.code() != 200) {
                throw new KieException(
                        ErrorClassifier.kieEnvelope(kind, envelope.code(), Redaction.redact(envelope.text(), secrets)));
            }
            return envelope.data();
        });
    }

    /**
     * A call that failed without a readable answer. Only a connection that was never made (refused, connect timeout)
     * certainly left KIE untouched; a timeout after sending, a reset or a cut-off body may hide work KIE did.
     */
    private Throwable classified(Throwable failure) {
        if (failure instanceof KieException) {
            return failure;
        }
        if (causedBy(failure, JacksonException.class)) {
            return new KieException(
                    new Classification(ErrorClass.TEMPORARY, 200, "KIE answered an unreadable body"), true, null);
        }
        Classification c = ErrorClassifier.network(
                "KIE",
                new IOException(Redaction.redact(
                        root(failure).getClass().getSimpleName() + " "
                                + root(failure).getMessage(),
                        secrets)));
        return new KieException(c, !causedBy(failure, ConnectException.class), null, true);
    }

    private <T> T read(JsonNode data, Class<T> type) {
        try {
            return data == null || data.isNull() ? null : json.treeToValue(data, type);
        } catch (IOException e) {
            return null;
        }
    }

    private static String bearer(String key) {
        return "Bearer " + key;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause: what actually went wrong on the wire. */
    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A read that got no answer at all (nothing refused it, nothing was misread): worth one more try at once. */
    public static final class NoAnswer implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof KieException e && e.unanswered();
        }
    }
}
