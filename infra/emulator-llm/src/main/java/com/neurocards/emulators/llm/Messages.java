package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The text of a request's messages; content may be a string or an array of {@code {type:"text"}} / image parts. */
record Messages(String all, String lastUser) {

    static Messages of(JsonArray messages) {
        StringBuilder all = new StringBuilder();
        String lastUser = "";
        for (Object m : messages) {
            if (!(m instanceof JsonObject message)) {
                continue;
            }
            String text = text(message.getValue("content"));
            all.append(text).append('\n');
            if ("user".equals(message.getString("role"))) {
                lastUser = text;
            }
        }
        return new Messages(all.toString(), lastUser);
    }

    private static String text(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof JsonObject part && "text".equals(part.getString("type"))) {
                    sb.append(part.getString("text", "")).append('\n');
                }
            }
            return sb.toString().trim();
        }
        return "";
    }
}
