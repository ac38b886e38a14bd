package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Request-field checks with KIE's observed answers (docs/outside-services.md#kie-envelope): a missing required
 * field comes back as 500 "This field is required", an empty one as 422 "不能为空", anything else invalid as 422
 * with a short reason.
 */
final class Fields {

    /** Thrown by the checks; carries the envelope error to answer. */
    static final class Invalid extends RuntimeException {
        final int code;

        Invalid(int code, String msg) {
            super(msg, null, false, false);
            this.code = code;
        }

        CreateFlow.Checked toChecked() {
            return CreateFlow.Checked.error(code, getMessage());
        }
    }

    private Fields() {}

    static String requiredString(JsonObject body, String name) {
        Object v = body.getValue(name);
        if (v == null) {
            throw new Invalid(500, KieMessages.FIELD_REQUIRED);
        }
        if (!(v instanceof String s)) {
            throw new Invalid(422, name + " must be a string");
        }
        if (s.isBlank()) {
            throw new Invalid(422, KieMessages.MUST_NOT_BE_EMPTY);
        }
        return s;
    }

    static String optionalString(JsonObject body, String name) {
        Object v = body.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new Invalid(422, name + " must be a string");
        }
        return s;
    }

    /** A list of non-blank strings, or an empty list when the field is absent. */
    static List<String> stringList(JsonObject body, String name) {
        Object v = body.getValue(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw new Invalid(422, name + " must be an array of URLs");
        }
        List<String> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String s) || s.isBlank()) {
                throw new Invalid(422, name + " must contain non-empty URL strings");
            }
            out.add(s.trim());
        }
        return out;
    }

    static String callbackUrl(JsonObject body) {
        String url = optionalString(body, "callBackUrl");
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new Invalid(422, "callBackUrl must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new Invalid(422, "callBackUrl must be an http(s) URL");
        }
        return url;
    }
}
