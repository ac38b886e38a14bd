package com.neurocards.emulators.telegram;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Delivers queued updates to the webhook one at a time, in order, with the secret header; an update leaves the
 * queue only on a 2xx answer, otherwise it is sent again after {@link Limits#webhookRetryDelay()} and the failure
 * shows in getWebhookInfo (last_error_date, last_error_message), as on Telegram.
 * Lock-free on purpose: {@link Updates} asks {@link #isActive()} while holding its own lock.
 */
final class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Map<Integer, String> REASONS = Map.of(
            400,
            "Bad Request",
            401,
            "Unauthorized",
            403,
            "Forbidden",
            404,
            "Not Found",
            500,
            "Internal Server Error",
            502,
            "Bad Gateway",
            503,
            "Service Unavailable",
            504,
            "Gateway Timeout");

    record Webhook(String url, String secret, int maxConnections, long generation) {}

    private final Supplier<Vertx> vertx;
    private final Limits limits;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong generations = new AtomicLong();
    private volatile Updates updates;
    private volatile Webhook current;
    private volatile long retryNotBeforeNanos;
    private volatile Long lastErrorDate;
    private volatile String lastErrorMessage;

    WebhookSender(Supplier<Vertx> vertx, Limits limits, Clock clock) {
        this.vertx = vertx;
        this.limits = limits;
        this.clock = clock;
    }

    void attach(Updates updates) {
        this.updates = updates;
    }

    boolean isActive() {
        return current != null;
    }

    Webhook current() {
        return current;
    }

    void set(String url, String secret, int maxConnections) {
        current = new Webhook(url, secret, maxConnections, generations.incrementAndGet());
        lastErrorDate = null;
        lastErrorMessage = null;
        retryNotBeforeNanos = 0;
        kick();
    }

    void delete() {
        current = null;
        lastErrorDate = null;
        lastErrorMessage = null;
    }

    Long lastErrorDate() {
        return lastErrorDate;
    }

    String lastErrorMessage() {
        return lastErrorMessage;
    }

    /** Sends the next update if the webhook is idle and not waiting for a retry. */
    void kick() {
        while (true) {
            Webhook hook = current;
            Vertx v = vertx.get();
            if (hook == null
                    || v == null
                    || System.nanoTime() < retryNotBeforeNanos
                    || !inFlight.compareAndSet(false, true)) {
                return;
            }
            JsonObject update = updates.nextForWebhook();
            if (update != null) {
                send(hook, update);
                return;
            }
            inFlight.set(false);
            if (updates.nextForWebhook() == null) {
                return; // else an update slipped in between: go round again
            }
        }
    }

    private void send(Webhook hook, JsonObject update) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(update.encode()));
        if (hook.secret() != null && !hook.secret().isEmpty()) {
            request.header(SECRET_HEADER, hook.secret());
        }
        HttpRequest built;
        try {
            built = request.build();
        } catch (IllegalArgumentException e) {
            failed(hook, "Bad webhook URL");
            return;
        }
        http.sendAsync(built, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (current == null || current.generation() != hook.generation()) {
                inFlight.set(false);
                kick();
            } else if (error == null && response.statusCode() / 100 == 2) {
                updates.acknowledge(update.getInteger("update_id"));
                inFlight.set(false);
                kick();
            } else {
                String message = error != null
                        ? "Connection refused"
                        : "Wrong response from the webhook: " + response.statusCode() + " "
                                + REASONS.getOrDefault(response.statusCode(), "Error");
                failed(hook, message);
            }
        });
    }

    private void failed(Webhook hook, String message) {
        lastErrorDate = clock.instant().getEpochSecond();
        lastErrorMessage = message;
        LOG.debugf("webhook delivery failed (%s); retrying in %s", message, limits.webhookRetryDelay());
        long delayMillis = Math.max(1, limits.webhookRetryDelay().toMillis());
        retryNotBeforeNanos = System.nanoTime() + delayMillis * 1_000_000L;
        inFlight.set(false);
        Vertx v = vertx.get();
        if (v != null) {
            v.setTimer(delayMillis, t -> kick());
        }
    }
}
