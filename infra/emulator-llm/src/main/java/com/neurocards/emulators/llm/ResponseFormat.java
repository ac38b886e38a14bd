package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code response_format} of a request, checked as OpenAI checks it: {@code text}, {@code json_object} (the
 * messages must mention "json"), or {@code json_schema} with a {@code name} of at most 64 {@code [a-zA-Z0-9_-]} and,
 * when {@code strict}, every object closed ({@code additionalProperties:false}) with all its properties required.
 * KIE's docs also show a bare schema object; that is accepted as a non-strict schema.
 */
record ResponseFormat(String type, JsonObject schema) {

    /** A request the API refuses with 400. */
    static final class Rejected extends RuntimeException {
        final String param;

        Rejected(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }

    static ResponseFormat of(JsonObject request, String allMessageText) {
        Object raw = request.getValue("response_format");
        if (raw == null) {
            return new ResponseFormat("text", null);
        }
        if (!(raw instanceof JsonObject format)) {
            throw new Rejected("Invalid type for 'response_format': expected an object.", "response_format");
        }
        String type = format.getString("type");
        if (type == null) {
            if (format.containsKey("properties") || format.containsKey("$schema")) {
                return new ResponseFormat("json_schema", format); // KIE's bare-schema spelling
            }
            throw new Rejected("Missing required parameter: 'response_format.type'.", "response_format.type");
        }
        switch (type) {
            case "text":
                return new ResponseFormat("text", null);
            case "json_object":
                if (!allMessageText.toLowerCase().contains("json")) {
                    throw new Rejected(
                            "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                                    + "'json_object'.",
                            "messages");
                }
                return new ResponseFormat("json_object", null);
            case "json_schema":
                return new ResponseFormat("json_schema", checkedSchema(format.getJsonObject("json_schema")));
            default:
                throw new Rejected(
                        "Invalid value: '" + type
                                + "'. Supported values are: 'json_object', 'json_schema', and 'text'.",
                        "response_format.type");
        }
    }

    boolean json() {
        return !type.equals("text");
    }

    private static JsonObject checkedSchema(JsonObject jsonSchema) {
        if (jsonSchema == null) {
            throw new Rejected(
                    "Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema");
        }
        String name = jsonSchema.getString("name");
        if (name == null) {
            throw new Rejected(
                    "Missing required parameter: 'response_format.json_schema.name'.",
                    "response_format.json_schema.name");
        }
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new Rejected(
                    "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string "
                            + "that matches the pattern '^[a-zA-Z0-9_-]+$' and is at most 64 characters.",
                    "response_format.json_schema.name");
        }
        JsonObject schema = jsonSchema.getJsonObject("schema", new JsonObject().put("type", "object"));
        if (Boolean.TRUE.equals(jsonSchema.getBoolean("strict"))) {
            checkStrict(name, schema, schema, "()", new HashSet<>());
        }
        return schema;
    }

    /** OpenAI's context notation: {@code ()}, {@code ('properties', 'prompts', 'items')}. */
    private static String nest(String context, String part) {
        return context.equals("()") ? "(" + part + ")" : context.substring(0, context.length() - 1) + ", " + part + ")";
    }

    private static void checkStrict(
            String name, JsonObject schema, JsonObject root, String context, Set<JsonObject> seen) {
        JsonObject s = SchemaFaker.resolve(schema, root);
        if (!seen.add(s)) {
            return;
        }
        if ("object".equals(s.getValue("type")) || s.containsKey("properties")) {
            if (!Boolean.FALSE.equals(s.getValue("additionalProperties"))) {
                throw new Rejected(
                        "Invalid schema for response_format '" + name + "': In context=" + context
                                + ", 'additionalProperties' is required to be supplied and to be false.",
                        "response_format");
            }
            JsonObject props = s.getJsonObject("properties", new JsonObject());
            JsonArray required = s.getJsonArray("required", new JsonArray());
            for (String p : props.fieldNames()) {
                if (!required.contains(p)) {
                    throw new Rejected(
                            "Invalid schema for response_format '" + name + "': In context=" + context
                                    + ", 'required' is required to be supplied and to be an array including every key in properties. "
                                    + "Missing '" + p + "'.",
                            "response_format");
                }
            }
            for (Map.Entry<String, Object> p : props) {
                checkStrict(
                        name,
                        (JsonObject) p.getValue(),
                        root,
                        nest(context, "'properties', '" + p.getKey() + "'"),
                        seen);
            }
        }
        if (s.getValue("items") instanceof JsonObject items) {
            checkStrict(name, items, root, nest(context, "'items'"), seen);
        }
        for (String union : new String[] {"anyOf", "oneOf"}) {
            if (s.getValue(union) instanceof JsonArray options) {
                for (Object o : options) {
                    checkStrict(name, (JsonObject) o, root, context, seen);
                }
            }
        }
    }
}
