package com.neurocards.emulators.telegram;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The bot's update queue and the two ways out of it: getUpdates (real long polling: a call waits on a Vert.x timer
 * until an update arrives or its timeout passes; an offset confirms and drops what came before) and a webhook
 * ({@link WebhookSender}). As on Telegram, only one of the two is active, and a newer getUpdates call
 * terminates a waiting one with 409.
 */
final class Updates {

    /** What Telegram leaves out when allowed_updates is not set or empty. */
    private static final Set<String> NOT_DELIVERED_BY_DEFAULT =
            Set.of("chat_member", "message_reaction", "message_reaction_count");

    private record Poller(Promise<JsonArray> promise, Context context, long timer, int limit) {}

    private final Supplier<Vertx> vertx;
    private final LinkedList<JsonObject> pending = new LinkedList<>();
    private final WebhookSender webhookSender;
    private int nextUpdateId = 100_000_001;
    private Set<String> allowed;
    private Poller poller;

    Updates(Supplier<Vertx> vertx, WebhookSender webhookSender) {
        this.vertx = vertx;
        this.webhookSender = webhookSender;
        webhookSender.attach(this);
    }

    /** Queues an update of {@code type} ("message", "callback_query", ...) and wakes whoever waits for it. */
    int push(String type, JsonObject payload) {
        Poller ready = null;
        JsonArray batch = null;
        int id;
        synchronized (this) {
            id = nextUpdateId++;
            pending.add(new JsonObject().put("update_id", id).put(type, payload.copy()));
            if (poller != null) {
                batch = deliverable(poller.limit());
                if (!batch.isEmpty()) {
                    ready = poller;
                    poller = null;
                }
            }
        }
        if (ready != null) {
            complete(ready, batch);
        }
        webhookSender.kick();
        return id;
    }

    Future<JsonArray> getUpdates(Long offset, int limit, int timeoutSeconds, JsonArray allowedUpdates) {
        Poller terminated;
        JsonArray batch;
        Promise<JsonArray> waiting = null;
        synchronized (this) {
            if (webhookSender.isActive()) {
                return Future.failedFuture(BotApiError.conflict("can't use getUpdates method while webhook is active;"
                                + " use deleteWebhook to delete the webhook first")
                        .exception());
            }
            terminated = poller;
            poller = null;
            if (allowedUpdates != null) {
                allowed = allowedUpdates.isEmpty()
                        ? null
                        : allowedUpdates.stream().map(Object::toString).collect(Collectors.toSet());
            }
            confirm(offset);
            batch = deliverable(limit);
            if (batch.isEmpty() && timeoutSeconds > 0 && vertx.get() != null) {
                Promise<JsonArray> promise = Promise.promise();
                Vertx v = vertx.get();
                long timer = v.setTimer(timeoutSeconds * 1000L, t -> timeout(promise));
                poller = new Poller(promise, v.getOrCreateContext(), timer, limit);
                waiting = promise;
                batch = null;
            }
        }
        if (terminated != null) {
            Vertx v = terminated.context().owner();
            v.cancelTimer(terminated.timer());
            terminated.context().runOnContext(x -> terminated
                    .promise()
                    .tryFail(BotApiError.conflict("terminated by other getUpdates request")
                            .exception()));
        }
        return batch != null ? Future.succeededFuture(batch) : waiting.future();
    }

    private void timeout(Promise<JsonArray> promise) {
        synchronized (this) {
            if (poller != null && poller.promise() == promise) {
                poller = null;
            }
        }
        promise.tryComplete(new JsonArray());
    }

    private void complete(Poller p, JsonArray batch) {
        p.context().owner().cancelTimer(p.timer());
        p.context().runOnContext(v -> p.promise().tryComplete(batch));
    }

    /** offset > 0 confirms every update below it; offset < 0 keeps only the last -offset updates. */
    private void confirm(Long offset) {
        if (offset == null || offset == 0) {
            return;
        }
        if (offset > 0) {
            pending.removeIf(u -> u.getLong("update_id") < offset);
        } else {
            while (pending.size() > -offset) {
                pending.removeFirst();
            }
        }
    }

    /** Up to {@code limit} updates the bot wants; updates of types it filtered out are dropped, as Telegram does. */
    private JsonArray deliverable(int limit) {
        JsonArray out = new JsonArray();
        Iterator<JsonObject> it = pending.iterator();
        while (it.hasNext() && out.size() < limit) {
            JsonObject u = it.next();
            if (isAllowed(typeOf(u))) {
                out.add(u.copy());
            } else {
                it.remove();
            }
        }
        return out;
    }

    synchronized boolean isAllowed(String type) {
        return allowed == null ? !NOT_DELIVERED_BY_DEFAULT.contains(type) : allowed.contains(type);
    }

    synchronized void setAllowed(Set<String> types) {
        allowed = types;
    }

    static String typeOf(JsonObject update) {
        return update.fieldNames().stream()
                .filter(k -> !k.equals("update_id"))
                .findFirst()
                .orElse("unknown");
    }

    /** The oldest update the webhook should get next (dropping filtered-out ones), or null. */
    synchronized JsonObject nextForWebhook() {
        JsonArray next = deliverable(1);
        return next.isEmpty() ? null : next.getJsonObject(0);
    }

    synchronized void acknowledge(int updateId) {
        pending.removeIf(u -> u.getInteger("update_id") == updateId);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized List<JsonObject> pending() {
        return pending.stream().map(JsonObject::copy).toList();
    }

    synchronized void dropPending() {
        pending.clear();
    }

    /** Forgets all updates and answers a waiting getUpdates with an empty list. */
    void reset() {
        Poller p;
        synchronized (this) {
            pending.clear();
            allowed = null;
            p = poller;
            poller = null;
        }
        if (p != null) {
            complete(p, new JsonArray());
        }
    }

    /** Answers a waiting getUpdates at once (setWebhook while a long poll waits). */
    void releasePoller() {
        Poller p;
        synchronized (this) {
            p = poller;
            poller = null;
        }
        if (p != null) {
            complete(p, new JsonArray());
        }
    }

    synchronized List<String> allowedUpdates() {
        return allowed == null ? List.of() : new ArrayList<>(allowed);
    }
}
