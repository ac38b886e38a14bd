package com.neurocards.emulators.kie;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys KIE accepts and their per-key usage caps (hitting a cap is envelope code 433:
 * docs/outside-services.md#kie-hosts-and-keys).
 */
final class ApiKeys {

    private final Set<String> valid = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> caps = new ConcurrentHashMap<>();
    private final Map<String, Integer> used = new ConcurrentHashMap<>();

    /** Shows enough of a key to tell two apart in a log, never the key. */
    static String mask(String key) {
        if (key == null) {
            return null;
        }
        return key.length() <= 8 ? "****" : key.substring(0, 4) + "…" + key.substring(key.length() - 2);
    }

    /** The Bearer key of the request when it is a valid one, else {@code null}. */
    String authenticate(RoutingContext ctx) {
        String key = bearer(ctx);
        return key != null && valid.contains(key) ? key : null;
    }

    static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = header.substring(7).trim();
        return key.isEmpty() ? null : key;
    }

    void add(String key) {
        valid.add(key);
    }

    void remove(String key) {
        valid.remove(key);
    }

    void replaceAll(Iterable<String> keys) {
        valid.clear();
        keys.forEach(valid::add);
        caps.clear();
        used.clear();
    }

    /** At most {@code maxCreates} creates with this key from now on (counting those already made). */
    void cap(String key, int maxCreates) {
        caps.put(key, maxCreates);
    }

    /** Counts one create against the key's cap; false when the cap is already reached. */
    boolean tryUse(String key) {
        Integer cap = caps.get(key);
        int now = used.merge(key, 1, Integer::sum);
        if (cap != null && now > cap) {
            used.merge(key, -1, Integer::sum);
            return false;
        }
        return true;
    }

    int used(String key) {
        return used.getOrDefault(key, 0);
    }
}
