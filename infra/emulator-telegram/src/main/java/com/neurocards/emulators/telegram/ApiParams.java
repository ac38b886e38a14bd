package com.neurocards.emulators.telegram;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one call, whatever way they came (query, JSON, form, multipart text parts), plus uploaded files.
 * JSON bodies keep their types; every other way gives strings, so getters convert the way the Bot API does
 * ("true"/true, "123"/123, a JSON-serialised object in a text part).
 */
final class ApiParams {

    private final Map<String, Object> values;
    private final Map<String, Upload> uploads;

    ApiParams(Map<String, Object> values, Map<String, Upload> uploads) {
        this.values = values;
        this.uploads = uploads;
    }

    boolean has(String name) {
        Object v = values.get(name);
        return (v != null && !(v instanceof String s && s.isEmpty())) || uploads.containsKey(name);
    }

    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return new JsonObject(castMap(m)).encode();
        }
        if (v instanceof Iterable<?> || v instanceof JsonObject || v instanceof JsonArray) {
            return toJsonValue(v).toString();
        }
        return v.toString();
    }

    Long longValue(String name, String errorIfInvalid) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(errorIfInvalid);
        }
    }

    Integer intValue(String name, String errorIfInvalid) {
        Long v = longValue(name, errorIfInvalid);
        return v == null ? null : (int) (long) v;
    }

    boolean bool(String name) {
        Object v = values.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        return v != null && ("true".equalsIgnoreCase(v.toString()) || "1".equals(v.toString()));
    }

    /** An object parameter; text parts and form fields carry it JSON-serialised. */
    JsonObject jsonObject(String name, String errorIfInvalid) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return null;
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            return new JsonObject(castMap(m));
        }
        try {
            return new JsonObject(v.toString());
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.badRequest(errorIfInvalid);
        }
    }

    JsonArray jsonArray(String name, String errorIfInvalid) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return null;
        }
        Object json = toJsonValue(v);
        if (json instanceof JsonArray a) {
            return a;
        }
        try {
            return new JsonArray(v.toString());
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.badRequest(errorIfInvalid);
        }
    }

    Upload upload(String name) {
        return uploads.get(name);
    }

    /** What the call log shows: the values, with uploads as their name and size (not their bytes). */
    JsonObject toLogJson() {
        JsonObject json = new JsonObject();
        values.forEach((k, v) -> json.put(k, toJsonValue(v)));
        uploads.forEach((k, u) -> json.put(
                k,
                new JsonObject()
                        .put("upload", u.fileName())
                        .put("content_type", u.contentType())
                        .put("size", u.bytes().length)));
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Object toJsonValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return new JsonObject(castMap(m));
        }
        if (v instanceof List<?> l) {
            return new JsonArray(new ArrayList<>(l));
        }
        return v;
    }
}
