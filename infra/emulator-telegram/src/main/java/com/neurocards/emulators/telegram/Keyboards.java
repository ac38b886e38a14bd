package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Validates {@code reply_markup} the way Telegram does. Only an inline keyboard becomes part of the Message
 * (Telegram never echoes reply keyboards back); the other kinds are validated and kept for the chat view.
 */
final class Keyboards {

    static final String MARKUP_UNPARSABLE = "can't parse reply keyboard markup JSON object";

    /** Fields of InlineKeyboardButton that make it do something; exactly one must be present. */
    private static final List<String> INLINE_ACTIONS = List.of(
            "url",
            "callback_data",
            "web_app",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay");

    private static final int MAX_BUTTONS = 100;
    private static final int MAX_BUTTONS_PER_ROW = 8;

    private Keyboards() {}

    /** The validated inline keyboard, or null when the markup is absent or not an inline keyboard. */
    static JsonObject inlineKeyboard(JsonObject markup, Limits limits) {
        if (markup == null || !markup.containsKey("inline_keyboard")) {
            validateOther(markup);
            return null;
        }
        if (!(markup.getValue("inline_keyboard") instanceof JsonArray rows)) {
            throw ApiException.badRequest(
                    "field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays");
        }
        JsonArray normalized = new JsonArray();
        int total = 0;
        for (Object rowValue : rows) {
            if (!(rowValue instanceof JsonArray row)) {
                throw ApiException.badRequest(
                        "field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays");
            }
            if (row.size() > MAX_BUTTONS_PER_ROW) {
                throw ApiException.badRequest("reply markup is too long");
            }
            JsonArray outRow = new JsonArray();
            for (Object buttonValue : row) {
                if (!(buttonValue instanceof JsonObject button)) {
                    throw ApiException.badRequest(
                            "can't parse inline keyboard button: InlineKeyboardButton should be an Object");
                }
                outRow.add(inlineButton(button, limits));
                total++;
            }
            if (!outRow.isEmpty()) {
                normalized.add(outRow);
            }
        }
        if (total > MAX_BUTTONS) {
            throw ApiException.badRequest("reply markup is too long");
        }
        return new JsonObject().put("inline_keyboard", normalized);
    }

    private static JsonObject inlineButton(JsonObject button, Limits limits) {
        if (!(button.getValue("text") instanceof String text)) {
            throw ApiException.badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
        }
        if (text.isBlank()) {
            throw ApiException.badRequest("BUTTON_TEXT_INVALID");
        }
        JsonObject out = new JsonObject().put("text", text);
        int actions = 0;
        for (String action : INLINE_ACTIONS) {
            if (button.containsKey(action)) {
                actions++;
                out.put(action, button.getValue(action));
            }
        }
        if (actions == 0) {
            throw ApiException.badRequest("text buttons are unallowed in the inline keyboard");
        }
        if (actions > 1) {
            throw ApiException.badRequest(
                    "can't parse inline keyboard button: InlineKeyboardButton must have exactly one of the optional fields");
        }
        if (button.containsKey("callback_data")) {
            Object data = button.getValue("callback_data");
            int bytes = data == null ? 0 : data.toString().getBytes(StandardCharsets.UTF_8).length;
            if (!(data instanceof String) || bytes < 1 || bytes > limits.maxCallbackDataBytes()) {
                throw ApiException.badRequest("BUTTON_DATA_INVALID");
            }
        }
        if (button.containsKey("url")) {
            String url = String.valueOf(button.getValue("url"));
            if (!validButtonUrl(url)) {
                throw ApiException.badRequest("inline keyboard button URL '" + url + "' is invalid: Wrong HTTP URL");
            }
        }
        return out;
    }

    private static boolean validButtonUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            return (scheme.equals("http") || scheme.equals("https"))
                    ? uri.getHost() != null && !uri.getHost().isBlank()
                    : scheme.equals("tg");
        } catch (Exception e) {
            return false;
        }
    }

    private static void validateOther(JsonObject markup) {
        if (markup == null) {
            return;
        }
        if (markup.containsKey("keyboard")) {
            if (!(markup.getValue("keyboard") instanceof JsonArray rows) || rows.isEmpty()) {
                throw ApiException.badRequest(
                        "field \"keyboard\" of the ReplyKeyboardMarkup should be an Array of Arrays");
            }
            for (Object row : rows) {
                if (!(row instanceof JsonArray buttons)) {
                    throw ApiException.badRequest(
                            "field \"keyboard\" of the ReplyKeyboardMarkup should be an Array of Arrays");
                }
                for (Object b : buttons) {
                    boolean ok = b instanceof String s
                            ? !s.isEmpty()
                            : b instanceof JsonObject o && o.getValue("text") instanceof String t && !t.isEmpty();
                    if (!ok) {
                        throw ApiException.badRequest("can't parse keyboard button: Text must be non-empty");
                    }
                }
            }
        } else if (!markup.containsKey("remove_keyboard") && !markup.containsKey("force_reply")) {
            throw ApiException.badRequest(MARKUP_UNPARSABLE);
        }
    }
}
