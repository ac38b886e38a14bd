package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Just enough JSON-schema validation for the tests to check the emulator's answers independently. */
final class MiniSchemaValidator {

    private MiniSchemaValidator() {}

    static List<String> errors(JsonObject schema, Object value) {
        List<String> errors = new ArrayList<>();
        check(schema, schema, value, "$", errors);
        return errors;
    }

    private static void check(JsonObject root, JsonObject raw, Object value, String at, List<String> errors) {
        JsonObject s = SchemaFaker.resolve(raw, root);
        if (s.containsKey("enum") && !s.getJsonArray("enum").contains(value)) {
            errors.add(at + " not in enum");
        }
        if (s.containsKey("anyOf")) {
            for (Object option : s.getJsonArray("anyOf")) {
                List<String> e = new ArrayList<>();
                check(root, (JsonObject) option, value, at, e);
                if (e.isEmpty()) return;
            }
            errors.add(at + " matches no anyOf option");
            return;
        }
        Object type = s.getValue("type");
        if (type instanceof JsonArray types) {
            if (value == null && types.contains("null")) return;
            type = types.stream().filter(t -> !"null".equals(t)).findFirst().orElse(null);
        }
        if (type == null) return;
        switch (type.toString()) {
            case "object" -> {
                if (!(value instanceof JsonObject obj)) {
                    errors.add(at + " not an object");
                    return;
                }
                for (Object r : s.getJsonArray("required", new JsonArray())) {
                    if (!obj.containsKey((String) r)) errors.add(at + " missing " + r);
                }
                JsonObject props = s.getJsonObject("properties", new JsonObject());
                for (String k : obj.fieldNames()) {
                    if (props.containsKey(k))
                        check(root, props.getJsonObject(k), obj.getValue(k), at + "." + k, errors);
                    else if (Boolean.FALSE.equals(s.getValue("additionalProperties"))) errors.add(at + " extra " + k);
                }
            }
            case "array" -> {
                if (!(value instanceof JsonArray arr)) {
                    errors.add(at + " not an array");
                    return;
                }
                if (s.containsKey("minItems") && arr.size() < s.getInteger("minItems"))
                    errors.add(at + " too few items");
                if (s.containsKey("maxItems") && arr.size() > s.getInteger("maxItems"))
                    errors.add(at + " too many items");
                for (int i = 0; i < arr.size(); i++)
                    check(root, s.getJsonObject("items"), arr.getValue(i), at + "[" + i + "]", errors);
            }
            case "string" -> {
                if (!(value instanceof String str)) {
                    errors.add(at + " not a string");
                    return;
                }
                if (s.containsKey("maxLength") && str.length() > s.getInteger("maxLength"))
                    errors.add(at + " too long");
                if (s.containsKey("minLength") && str.length() < s.getInteger("minLength"))
                    errors.add(at + " too short");
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    errors.add(at + " not an integer");
                    return;
                }
                long v = ((Number) value).longValue();
                if (s.containsKey("minimum") && v < s.getLong("minimum")) errors.add(at + " below minimum");
                if (s.containsKey("maximum") && v > s.getLong("maximum")) errors.add(at + " above maximum");
            }
            case "number" -> {
                if (!(value instanceof Number)) errors.add(at + " not a number");
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) errors.add(at + " not a boolean");
            }
            default -> {}
        }
    }
}
