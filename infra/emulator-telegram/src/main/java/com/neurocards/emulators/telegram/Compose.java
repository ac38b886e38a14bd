package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** Builds the parts of an outgoing message from call parameters, with Telegram's checks and limits. */
final class Compose {

    /** The validated reply_markup: the inline keyboard that goes into the Message, or another kind kept aside. */
    record Markup(JsonObject inline, JsonObject other) {
        void putInto(JsonObject message) {
            if (inline != null) {
                message.put("reply_markup", inline);
            }
        }
    }

    private Compose() {}

    /** text + entities for sendMessage / editMessageText. */
    static JsonObject text(ApiParams params, Limits limits) {
        String raw = params.string("text");
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest("message text is empty");
        }
        TextFormatting.Parsed parsed = TextFormatting.parse(
                raw, params.string("parse_mode"), params.jsonArray("entities", "can't parse entities JSON object"));
        if (parsed.text().isBlank()) {
            throw ApiException.badRequest("message text is empty");
        }
        if (parsed.text().length() > limits.maxTextLength()) {
            throw ApiException.badRequest("message is too long");
        }
        JsonObject content = new JsonObject().put("text", parsed.text());
        if (!parsed.entities().isEmpty()) {
            content.put("entities", parsed.entities());
        }
        return content;
    }

    /** caption + caption_entities, or nothing when there is no caption. */
    static JsonObject caption(ApiParams params, Limits limits) {
        String raw = params.string("caption");
        JsonObject content = new JsonObject();
        if (raw == null || raw.isEmpty()) {
            return content;
        }
        TextFormatting.Parsed parsed = TextFormatting.parse(
                raw,
                params.string("parse_mode"),
                params.jsonArray("caption_entities", "can't parse entities JSON object"));
        if (parsed.text().length() > limits.maxCaptionLength()) {
            throw ApiException.badRequest("message caption is too long");
        }
        if (!parsed.text().isEmpty()) {
            content.put("caption", parsed.text());
        }
        if (!parsed.entities().isEmpty()) {
            content.put("caption_entities", parsed.entities());
        }
        return content;
    }

    static Markup markup(ApiParams params, Limits limits) {
        JsonObject raw = params.jsonObject("reply_markup", Keyboards.MARKUP_UNPARSABLE);
        JsonObject inline = Keyboards.inlineKeyboard(raw, limits);
        return new Markup(inline, inline == null ? raw : null);
    }

    /** reply_to_message for a reply (reply_parameters or the older reply_to_message_id). */
    static void replyTo(ApiParams params, long chatId, Chats chats, JsonObject content) {
        Integer replyTo = params.intValue("reply_to_message_id", "message to be replied not found");
        boolean allowWithout = params.bool("allow_sending_without_reply");
        JsonObject replyParameters = params.jsonObject("reply_parameters", "can't parse reply parameters JSON object");
        if (replyParameters != null) {
            replyTo = replyParameters.getInteger("message_id");
            allowWithout = Boolean.TRUE.equals(replyParameters.getBoolean("allow_sending_without_reply"));
        }
        if (replyTo == null) {
            return;
        }
        var target = chats.message(chatId, replyTo).filter(m -> !m.deleted());
        if (target.isPresent()) {
            JsonObject replied = target.get().json();
            replied.remove("reply_to_message");
            content.put("reply_to_message", replied);
        } else if (!allowWithout) {
            throw ApiException.badRequest("message to be replied not found");
        }
    }

    static void flags(ApiParams params, JsonObject content) {
        if (params.bool("protect_content")) {
            content.put("has_protected_content", true);
        }
        if (params.bool("has_spoiler")) {
            content.put("has_media_spoiler", true);
        }
        if (params.bool("show_caption_above_media")) {
            content.put("show_caption_above_media", true);
        }
    }
}
