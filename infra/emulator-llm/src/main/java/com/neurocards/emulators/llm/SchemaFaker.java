package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Produces a value that conforms to a JSON schema (the subset structured outputs use: object/properties/required,
 * array/items/minItems/maxItems, string with enum/minLength/maxLength/format, integer/number with bounds, boolean,
 * null, const, enum, anyOf/oneOf, type unions, local {@code $ref}s). Strings come from {@link PhraseBook} and are
 * distinct within one answer. With {@code violate}, the answer is made to break the schema on purpose.
 */
final class SchemaFaker {

    private static final int DEFAULT_ITEMS = 3;

    private final JsonObject root;
    private final PhraseBook phrases;
    private final boolean violate;
    private final Set<String> used = new HashSet<>();
    private boolean violated;

    private SchemaFaker(JsonObject root, PhraseBook phrases, boolean violate) {
        this.root = root;
        this.phrases = phrases;
        this.violate = violate;
    }

    static Object generate(JsonObject schema, PhraseBook phrases) {
        return new SchemaFaker(schema, phrases, false).value(schema, null, 0);
    }

    /** Valid JSON that breaks the schema: one array gets a wrong item count, else a required field goes missing. */
    static Object generateViolating(JsonObject schema, PhraseBook phrases) {
        SchemaFaker faker = new SchemaFaker(schema, phrases, true);
        Object value = faker.value(schema, null, 0);
        if (!faker.violated) {
            if (value instanceof JsonObject obj && !obj.isEmpty()) {
                JsonArray required = resolve(schema, schema).getJsonArray("required", new JsonArray());
                String drop = required.isEmpty() ? obj.fieldNames().iterator().next() : required.getString(0);
                obj.remove(drop);
            } else {
                return new JsonObject().put("unexpected", value); // wrong type at the root
            }
        }
        return value;
    }

    private Object value(JsonObject rawSchema, String field, int variant) {
        JsonObject schema = resolve(rawSchema, root);
        if (schema.containsKey("const")) {
            return schema.getValue("const");
        }
        if (schema.containsKey("enum")) {
            JsonArray options = schema.getJsonArray("enum");
            return options.getValue(Math.floorMod(variant, options.size()));
        }
        for (String union : new String[] {"anyOf", "oneOf"}) {
            if (schema.containsKey(union)) {
                return value(firstNonNull(schema.getJsonArray(union)), field, variant);
            }
        }
        if (schema.containsKey("allOf")) {
            JsonObject merged = new JsonObject();
            for (Object part : schema.getJsonArray("allOf")) {
                resolve((JsonObject) part, root).forEach(e -> merged.put(e.getKey(), e.getValue()));
            }
            return value(merged, field, variant);
        }
        String type = typeOf(schema);
        return switch (type) {
            case "object" -> object(schema, variant);
            case "array" -> array(schema, field, variant);
            case "integer" -> integer(schema, variant);
            case "number" -> (double) integer(schema, variant) + 0.5;
            case "boolean" -> variant % 2 == 0;
            case "null" -> null;
            default -> string(schema, field, variant);
        };
    }

    private JsonObject object(JsonObject schema, int variant) {
        JsonObject out = new JsonObject();
        JsonObject props = schema.getJsonObject("properties", new JsonObject());
        for (Map.Entry<String, Object> p : props) {
            out.put(p.getKey(), value((JsonObject) p.getValue(), p.getKey(), variant));
        }
        return out;
    }

    private JsonArray array(JsonObject schema, String field, int variant) {
        Integer min = schema.getInteger("minItems");
        Integer max = schema.getInteger("maxItems");
        int count = min != null && max != null
                ? Math.min(max, Math.max(min, DEFAULT_ITEMS))
                : min != null
                        ? Math.max(min, DEFAULT_ITEMS)
                        : max != null ? Math.min(max, DEFAULT_ITEMS) : DEFAULT_ITEMS;
        if (min != null && max != null && min.equals(max)) {
            count = min;
        }
        if (violate && !violated && (min != null || max != null)) {
            violated = true;
            count = max != null ? max + 1 : Math.max(0, min - 1);
        }
        JsonObject items = schema.getJsonObject("items", new JsonObject().put("type", "string"));
        String itemField = field != null && field.endsWith("s") ? field.substring(0, field.length() - 1) : field;
        JsonArray out = new JsonArray();
        for (int i = 0; i < count; i++) {
            out.add(value(items, itemField, variant * DEFAULT_ITEMS + i));
        }
        return out;
    }

    private long integer(JsonObject schema, int variant) {
        long min = schema.getLong(
                "minimum", schema.containsKey("exclusiveMinimum") ? schema.getLong("exclusiveMinimum") + 1 : 1L);
        long max = schema.getLong(
                "maximum", schema.containsKey("exclusiveMaximum") ? schema.getLong("exclusiveMaximum") - 1 : min + 99);
        return max <= min ? min : min + Math.floorMod(variant, max - min + 1);
    }

    private String string(JsonObject schema, String field, int variant) {
        String format = schema.getString("format", "");
        String s =
                switch (format) {
                    case "uri", "url" -> "https://example.com/" + (field == null ? "item" : field) + "/"
                            + (variant + 1);
                    case "date-time" -> "2025-06-06T10:30:00Z";
                    case "date" -> "2025-06-06";
                    case "email" -> "seller" + (variant + 1) + "@example.com";
                    default -> phrases.phrase(field, variant);
                };
        int min = schema.getInteger("minLength", 0);
        int max = schema.getInteger("maxLength", Integer.MAX_VALUE);
        String candidate = s;
        for (int attempt = 2; used.contains(candidate); attempt++) {
            candidate = s + " (take " + attempt + ")";
        }
        if (candidate.length() > max) {
            candidate = candidate.substring(0, max);
            for (int i = 0; used.contains(candidate) && max > 0; i++) { // keep distinct when cut short
                String suffix = Integer.toString(i);
                candidate = candidate.substring(0, Math.max(0, max - suffix.length())) + suffix;
            }
        }
        StringBuilder padded = new StringBuilder(candidate);
        while (padded.length() < min) {
            padded.append(' ').append(phrases.product());
        }
        String out = padded.length() > max ? padded.substring(0, max) : padded.toString();
        used.add(out);
        return out;
    }

    private static String typeOf(JsonObject schema) {
        Object t = schema.getValue("type");
        if (t instanceof JsonArray types) {
            for (Object o : types) {
                if (!"null".equals(o)) {
                    return String.valueOf(o);
                }
            }
            return "null";
        }
        if (t == null) {
            return schema.containsKey("properties") ? "object" : schema.containsKey("items") ? "array" : "string";
        }
        return t.toString();
    }

    private static JsonObject firstNonNull(JsonArray options) {
        for (Iterator<Object> it = options.iterator(); it.hasNext(); ) {
            JsonObject o = (JsonObject) it.next();
            if (!"null".equals(o.getValue("type"))) {
                return o;
            }
        }
        return options.getJsonObject(0);
    }

    /** Follows a local {@code $ref} ("#/$defs/X", "#/definitions/X", "#"). */
    static JsonObject resolve(JsonObject schema, JsonObject root) {
        JsonObject current = schema;
        for (int hops = 0; current.containsKey("$ref") && hops < 32; hops++) {
            String ref = current.getString("$ref");
            if (!ref.startsWith("#")) {
                throw new IllegalArgumentException("only local $ref are supported: " + ref);
            }
            JsonObject target = root;
            for (String part : ref.substring(1).split("/")) {
                if (!part.isEmpty()) {
                    target = target.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
                    if (target == null) {
                        throw new IllegalArgumentException("unresolvable $ref " + ref);
                    }
                }
            }
            current = target;
        }
        return current;
    }
}
