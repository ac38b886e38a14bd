package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/**
 * One Bot API call the emulator received: the method as documented (e.g. "sendMessage", whatever case the client
 * used), its parameters (uploads shown as name and size), and how it was answered (200 or the error code).
 *
 * @param time when it arrived, in Unix seconds (as Telegram stamps messages)
 * @param nanoTime {@link System#nanoTime()} when it arrived: for latencies measured in the emulator's own JVM
 */
public record RecordedCall(
        long seq, String method, JsonObject params, long time, int status, String description, long nanoTime) {

    @Override
    public JsonObject params() {
        return params.copy();
    }

    public String param(String name) {
        Object v = params.getValue(name);
        return v == null ? null : v.toString();
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("seq", seq)
                .put("method", method)
                .put("params", params.copy())
                .put("time", time)
                .put("status", status);
        return description == null ? json : json.put("description", description);
    }
}
