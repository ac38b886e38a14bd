package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one message of a chat: its current Bot API JSON (as the bot last saw it), the earlier versions
 * (one per edit, oldest first), whether it was deleted, and a reply keyboard that Telegram does not echo back.
 * Immutable from the outside: accessors hand out copies.
 */
public record ChatMessage(
        long chatId,
        int messageId,
        boolean fromBot,
        JsonObject json,
        List<JsonObject> history,
        boolean deleted,
        JsonObject replyKeyboard) {

    @Override
    public JsonObject json() {
        return json.copy();
    }

    @Override
    public List<JsonObject> history() {
        return history.stream().map(JsonObject::copy).toList();
    }

    public String text() {
        return json.getString("text");
    }

    public String caption() {
        return json.getString("caption");
    }

    /** text, photo, video, document, sticker, voice, invoice, successful_payment, refunded_payment, or other. */
    public String kind() {
        for (String k : List.of(
                "text",
                "photo",
                "video",
                "document",
                "sticker",
                "voice",
                "invoice",
                "successful_payment",
                "refunded_payment")) {
            if (json.containsKey(k)) {
                return k;
            }
        }
        return "other";
    }

    public int editCount() {
        return history.size();
    }

    /** The file_id of the media (the largest photo size for a photo), or null. */
    public String fileId() {
        if (json.getValue("photo") instanceof JsonArray sizes && !sizes.isEmpty()) {
            return sizes.getJsonObject(sizes.size() - 1).getString("file_id");
        }
        for (String k : List.of("video", "document", "sticker", "voice")) {
            if (json.getValue(k) instanceof JsonObject media) {
                return media.getString("file_id");
            }
        }
        return null;
    }

    public List<InlineButton> buttons() {
        List<InlineButton> buttons = new ArrayList<>();
        JsonObject markup = json.getJsonObject("reply_markup");
        if (markup == null || markup.getJsonArray("inline_keyboard") == null) {
            return buttons;
        }
        JsonArray rows = markup.getJsonArray("inline_keyboard");
        for (int r = 0; r < rows.size(); r++) {
            JsonArray row = rows.getJsonArray(r);
            for (int c = 0; c < row.size(); c++) {
                JsonObject b = row.getJsonObject(c);
                buttons.add(
                        new InlineButton(b.getString("text"), b.getString("callback_data"), b.getString("url"), r, c));
            }
        }
        return buttons;
    }

    /** What the control API shows: the message JSON plus the emulator's bookkeeping. */
    JsonObject toControlJson(boolean withHistory) {
        JsonObject out = new JsonObject()
                .put("chat_id", chatId)
                .put("message_id", messageId)
                .put("from_bot", fromBot)
                .put("kind", kind())
                .put("deleted", deleted)
                .put("edit_count", history.size())
                .put("message", json.copy());
        if (replyKeyboard != null) {
            out.put("reply_keyboard", replyKeyboard.copy());
        }
        if (withHistory) {
            out.put("history", new JsonArray(new ArrayList<>(history)));
        }
        return out;
    }
}
