package com.neurocards.pipeline.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.job.JobStatus;
import com.neurocards.pipeline.job.TaskCallbacks;
import com.neurocards.pipeline.kie.KieKeyPool;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * KIE's completion callbacks (docs/outside-services.md#kie-callbacks). A callback is only a hint: it schedules an
 * immediate {@code poll.due} for the job, and {@code record-info} stays the source of truth — so a forged, duplicated
 * or late callback can at most cause one extra look. The path carries a secret; when a webhook HMAC key is
 * configured, the signature ({@code X-Webhook-Signature} = base64 HMAC-SHA256 of {@code taskId.timestamp}) is
 * checked in constant time, and the signed {@code X-Webhook-Timestamp} (unix seconds) must lie within the freshness
 * window of now ({@code KIE_CALLBACK_FRESHNESS}, ±5 min), so a captured callback cannot be replayed later. (Without a
 * key nothing in a callback is signed, so there is no timestamp to trust.) A callback refused as stale is no loss:
 * the poll chain still looks at the task. A callback that comes before the submit stage has recorded its task (a
 * render that ended at once) is remembered, and the submit stage looks at the render as it records the task
 * ({@link TaskCallbacks}).
 */
@Path("/kie/callback/{secret}")
public class KieCallbackResource {

    private static final Logger LOG = Logger.getLogger(KieCallbackResource.class);

    private final JobRepository jobs;
    private final TaskCallbacks callbacks;
    private final Outbox outbox;
    private final Transactions transactions;
    private final String secret;
    private final Optional<String> hmacKey;
    private final Duration freshness;
    private final ObjectMapper json;

    public KieCallbackResource(
            JobRepository jobs,
            TaskCallbacks callbacks,
            Outbox outbox,
            Transactions transactions,
            PipelineConfig config,
            ObjectMapper json) {
        this.json = json;
        this.jobs = jobs;
        this.callbacks = callbacks;
        this.outbox = outbox;
        this.transactions = transactions;
        this.secret = secret(config);
        this.hmacKey = config.kie().webhookHmacKey().filter(k -> !k.isBlank());
        this.freshness = config.kie().callbackFreshness();
    }

    /** The callBackUrl given to KIE, when a public base URL is configured. */
    public static Optional<String> callbackUrl(PipelineConfig config) {
        return config.kie()
                .callbackUrl()
                .filter(u -> !u.isBlank())
                .map(base -> (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/kie/callback/"
                        + secret(config));
    }

    /** The configured secret, else one derived from the first API key (the same on every instance). */
    public static String secret(PipelineConfig config) {
        return config.kie()
                .callbackSecret()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> KieKeyPool.fingerprint("callback:"
                                + config.kie()
                                        .apiKeys()
                                        .flatMap(k -> k.stream().findFirst())
                                        .orElse("none"))
                        + KieKeyPool.fingerprint("path:"
                                + config.kie()
                                        .apiKeys()
                                        .flatMap(k -> k.stream().findFirst())
                                        .orElse("none")));
    }

    /**
     * Every KIE secret the pipeline holds — the API keys, the callback secret, the webhook HMAC key — for
     * {@code Redaction.redact(text, secrets)} on anything KIE answers (it may echo a request, callback URL and all).
     */
    public static List<String> secrets(PipelineConfig config) {
        List<String> secrets = new ArrayList<>(config.kie().apiKeys().orElse(List.of()));
        secrets.add(secret(config));
        config.kie().webhookHmacKey().filter(k -> !k.isBlank()).ifPresent(secrets::add);
        return List.copyOf(secrets);
    }

    @POST
    public Uni<Response> callback(
            @PathParam("secret") String given,
            @HeaderParam("X-Webhook-Timestamp") String timestamp,
            @HeaderParam("X-Webhook-Signature") String signature,
            String body) {
        if (!Secrets.matches(secret, given)) {
            return Uni.createFrom()
                    .item(Response.status(Response.Status.NOT_FOUND).build());
        }
        String taskId = taskId(json, body);
        if (taskId == null) {
            return Uni.createFrom()
                    .item(Response.status(Response.Status.BAD_REQUEST).build());
        }
        if (hmacKey.isPresent() && !validSignature(taskId, timestamp, signature, hmacKey.get())) {
            LOG.warnf("KIE callback for task %s with a bad signature; ignored", taskId);
            return Uni.createFrom()
                    .item(Response.status(Response.Status.UNAUTHORIZED).build());
        }
        if (hmacKey.isPresent() && !fresh(timestamp, Instant.now(), freshness)) {
            LOG.warnf(
                    "KIE callback for task %s stamped %s, outside the %s freshness window; ignored",
                    taskId, timestamp, freshness);
            return Uni.createFrom()
                    .item(Response.status(Response.Status.UNAUTHORIZED).build());
        }
        return transactions
                .inTransaction(tx -> callbacks
                        .lock(tx, taskId)
                        .chain(() -> jobs.findByTaskId(tx, taskId))
                        .chain(found -> {
                            if (found.isEmpty()) {
                                // the create's answer has not been recorded yet: the submit stage looks when it is
                                LOG.debugf("KIE callback for task %s before its submission was recorded", taskId);
                                return callbacks.remember(tx, taskId);
                            }
                            if (found.get().status() != JobStatus.SUBMITTED) {
                                return Uni.createFrom().voidItem();
                            }
                            var job = found.get();
                            return outbox.publish(
                                    tx, Envelope.of(new PollDue(job.ref(), taskId, job.deadline(), job.pollCount())));
                        }))
                .replaceWith(Response.ok().build());
    }

    static String taskId(ObjectMapper json, String body) {
        try {
            JsonNode data = json.readTree(body == null ? "" : body).path("data");
            String id = data.path("taskId").asText(null);
            return id != null ? id : data.path("task_id").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code timestamp} (unix seconds) lies within {@code window} of {@code now}, before or after. */
    static boolean fresh(String timestamp, Instant now, Duration window) {
        if (timestamp == null) {
            return false;
        }
        try {
            long stamped = Long.parseLong(timestamp.trim());
            return Math.abs(now.getEpochSecond() - stamped) <= window.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean validSignature(String taskId, String timestamp, String signature, String key) {
        if (timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder()
                    .encodeToString(mac.doFinal((taskId + "." + timestamp).getBytes(StandardCharsets.UTF_8)));
            return Secrets.matches(expected, signature.trim());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
