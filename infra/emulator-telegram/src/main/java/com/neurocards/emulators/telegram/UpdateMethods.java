package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** getUpdates and the webhook methods. */
final class UpdateMethods {

    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final Updates updates;
    private final WebhookSender webhook;

    UpdateMethods(Updates updates, WebhookSender webhook) {
        this.updates = updates;
        this.webhook = webhook;
    }

    void register(MethodRegistry registry) {
        registry.add("getUpdates", this::getUpdates);
        registry.sync("setWebhook", this::setWebhook);
        registry.sync("deleteWebhook", this::deleteWebhook);
        registry.sync("getWebhookInfo", p -> webhookInfo());
    }

    private Future<Object> getUpdates(ApiParams params) {
        try {
            Long offset = params.longValue("offset", "wrong parameter offset");
            Integer limit = params.intValue("limit", "wrong parameter limit");
            Integer timeout = params.intValue("timeout", "wrong parameter timeout");
            JsonArray allowed = params.jsonArray("allowed_updates", "can't parse allowed updates");
            int effectiveLimit = limit == null ? 100 : Math.max(1, Math.min(100, limit));
            int effectiveTimeout = timeout == null ? 0 : Math.max(0, timeout);
            return updates.getUpdates(offset, effectiveLimit, effectiveTimeout, allowed)
                    .map(a -> a);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
    }

    private Object setWebhook(ApiParams params) {
        String url = params.string("url");
        if (url == null || url.isBlank()) {
            return deleteWebhook(params);
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw ApiException.badRequest("bad webhook: Failed to resolve host: Name or service not known");
            }
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("bad webhook: Failed to resolve host: Name or service not known");
        }
        String secret = params.string("secret_token");
        if (secret != null && !secret.isEmpty() && !SECRET.matcher(secret).matches()) {
            throw ApiException.badRequest("secret token contains unallowed characters");
        }
        Integer maxConnections = params.intValue("max_connections", "wrong parameter max_connections");
        JsonArray allowed = params.jsonArray("allowed_updates", "can't parse allowed updates");
        if (allowed != null) {
            updates.setAllowed(
                    allowed.isEmpty()
                            ? null
                            : allowed.stream().map(Object::toString).collect(Collectors.toSet()));
        }
        if (params.bool("drop_pending_updates")) {
            updates.dropPending();
        }
        // A waiting long poll ends now; from here on updates go to the webhook.
        updates.releasePoller();
        webhook.set(url, secret, maxConnections == null ? 40 : maxConnections);
        return true;
    }

    private Object deleteWebhook(ApiParams params) {
        webhook.delete();
        if (params.bool("drop_pending_updates")) {
            updates.dropPending();
        }
        return true;
    }

    private JsonObject webhookInfo() {
        WebhookSender.Webhook hook = webhook.current();
        JsonObject info = new JsonObject()
                .put("url", hook == null ? "" : hook.url())
                .put("has_custom_certificate", false)
                .put("pending_update_count", updates.pendingCount());
        if (hook != null) {
            info.put("max_connections", hook.maxConnections()).put("ip_address", "127.0.0.1");
            if (!updates.allowedUpdates().isEmpty()) {
                info.put("allowed_updates", new JsonArray(updates.allowedUpdates()));
            }
            if (webhook.lastErrorDate() != null) {
                info.put("last_error_date", webhook.lastErrorDate())
                        .put("last_error_message", webhook.lastErrorMessage());
            }
        }
        return info;
    }
}
