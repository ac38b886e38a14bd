package com.neurocards.gateway.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.contracts.Redaction;
import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.messaging.safety.Secrets;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Webhook mode ({@code TELEGRAM_MODE=webhook}): Telegram posts each update here with the secret token header. The
 * update is handled before the answer, so a 200 means it is recorded with its effects; on an outage (database,
 * broker, billing) Telegram gets a 503 and sends the update again (the update log makes that harmless). An update
 * that keeps failing on a bug is given up after a few tries (a payment in it kept for an admin first) and answered
 * 200, so Telegram stops sending it. Any number of gateway instances may sit behind the URL. In polling mode the
 * endpoint does not exist (404).
 */
@Singleton
@Path(WebhookResource.PATH)
public class WebhookResource {

    public static final String PATH = "/telegram/webhook";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    /** Tries of an update failing on a bug before it is given up (Telegram retries a non-2xx answer). */
    private static final int MAX_TRIES_PER_UPDATE = 5;
    /** Updates failing on a bug, by id: how many times. Bounded: a bug that fails every update must not grow it. */
    private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();

    private final GatewayConfig config;
    private final UpdateDispatcher dispatcher;
    /** Quarkus' mapper: unknown fields (Telegram adds new ones) are ignored, as everywhere in the services. */
    private final ObjectMapper json;

    public WebhookResource(GatewayConfig config, UpdateDispatcher dispatcher, ObjectMapper json) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam(SECRET_HEADER) String secret, byte[] body) {
        if (config.mode() != GatewayConfig.Mode.WEBHOOK) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (!secretMatches(config.webhook().secret(), secret)) {
            LOG.warn("Refused a webhook call without the right secret token");
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        Update update;
        try {
            update = json.readValue(body, Update.class);
        } catch (IOException e) {
            // Telegram would send the same bytes again and again: answer 200 and drop them.
            LOG.warnf("Dropped a webhook body that is not an update (%d bytes)", body == null ? 0 : body.length);
            return Response.ok().build();
        }
        if (update.getUpdateId() == null) {
            return Response.ok().build();
        }
        try {
            dispatcher.handle(update);
        } catch (RuntimeException e) {
            if (!Failures.isBug(e)) {
                LOG.warnf(
                        "Update %d failed on an outage; Telegram will send it again: %s",
                        update.getUpdateId(), Redaction.describe(e));
                return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
            }
            if (failures.size() > 10_000) {
                failures.clear();
            }
            if (failures.merge(update.getUpdateId(), 1, Integer::sum) < MAX_TRIES_PER_UPDATE) {
                return Response.serverError().build();
            }
            // Throws when a payment in it could not be kept: a 500, and Telegram sends it again.
            dispatcher.giveUp(update, e).send();
            failures.remove(update.getUpdateId());
            return Response.ok().build();
        }
        failures.remove(update.getUpdateId());
        return Response.ok().build();
    }

    /**
     * Whether the call carries the configured secret token. Without a configured secret nothing matches: a webhook
     * nobody can authenticate is shut (production refuses to start that way, see {@code GatewaySafety}).
     */
    static boolean secretMatches(Optional<String> expected, String given) {
        return expected.filter(secret -> !secret.isBlank())
                .map(secret -> Secrets.matches(secret, given))
                .orElse(false);
    }
}
