package com.neurocards.messaging.broker;

import com.rabbitmq.client.LongString;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMQP headers as plain Java values: the client hands text over as {@link LongString}, nested in tables and arrays
 * too (the broker's {@code x-death}); everything here reads them as {@link String}s, numbers, booleans, lists and maps.
 */
public final class AmqpHeaders {

    private AmqpHeaders() {}

    /** The headers with every {@link LongString} turned into a {@link String}, nested ones included; never null. */
    public static Map<String, Object> read(Map<String, Object> raw) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((key, value) -> headers.put(key, plain(value)));
        }
        return headers;
    }

    /** One header value as a plain Java value (dates as ISO-8601 text). */
    public static Object plain(Object value) {
        if (value instanceof LongString s) {
            return s.toString();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, nested) -> copy.put(String.valueOf(key), plain(nested)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(nested -> copy.add(plain(nested)));
            return copy;
        }
        return value;
    }

    /** An integer header, or {@code fallback} when it is missing or not a number. */
    public static int intValue(Map<String, Object> headers, String name, int fallback) {
        Object value = headers.get(name);
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value != null) {
            try {
                return Integer.parseInt(value.toString());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** A text header, or {@code null}. */
    public static String text(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        return value == null ? null : value.toString();
    }
}
