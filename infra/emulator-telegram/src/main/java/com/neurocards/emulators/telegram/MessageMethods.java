package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** sendMessage, the editMessage* family, deleteMessage and answerCallbackQuery. */
final class MessageMethods {

    private final Chats chats;
    private final CallbackQueries callbacks;
    private final RateLimiter rateLimiter;
    private final Limits limits;

    MessageMethods(Chats chats, CallbackQueries callbacks, RateLimiter rateLimiter, Limits limits) {
        this.chats = chats;
        this.callbacks = callbacks;
        this.rateLimiter = rateLimiter;
        this.limits = limits;
    }

    void register(MethodRegistry registry) {
        registry.sync("sendMessage", this::sendMessage);
        registry.sync("editMessageText", this::editMessageText);
        registry.sync("editMessageCaption", this::editMessageCaption);
        registry.sync("editMessageReplyMarkup", this::editMessageReplyMarkup);
        registry.sync("deleteMessage", this::deleteMessage);
        registry.sync("answerCallbackQuery", callbacks::answer);
    }

    private Object sendMessage(ApiParams params) {
        long chatId = chats.writableChat(params);
        JsonObject content = Compose.text(params, limits);
        Compose.Markup markup = Compose.markup(params, limits);
        markup.putInto(content);
        Compose.replyTo(params, chatId, chats, content);
        Compose.flags(params, content);
        rateLimiter.acquire(chatId);
        return chats.addBotMessage(chatId, content, markup.other()).json();
    }

    private Object editMessageText(ApiParams params) {
        long chatId = editedChat(params);
        JsonObject text = Compose.text(params, limits);
        Compose.Markup markup = Compose.markup(params, limits);
        return chats.editBotMessage(
                        chatId,
                        messageId(params),
                        json -> {
                            if (!json.containsKey("text")) {
                                throw ApiException.badRequest("there is no text in the message to edit");
                            }
                            json.remove("entities");
                            json.mergeIn(text);
                            // Without reply_markup an edit removes the inline keyboard, as on Telegram.
                            json.remove("reply_markup");
                            markup.putInto(json);
                            return json;
                        },
                        () -> rateLimiter.acquire(chatId))
                .json();
    }

    private Object editMessageCaption(ApiParams params) {
        long chatId = editedChat(params);
        JsonObject caption = Compose.caption(params, limits);
        Compose.Markup markup = Compose.markup(params, limits);
        return chats.editBotMessage(
                        chatId,
                        messageId(params),
                        json -> {
                            if (json.containsKey("text")) {
                                throw ApiException.badRequest("there is no caption in the message to edit");
                            }
                            json.remove("caption");
                            json.remove("caption_entities");
                            json.mergeIn(caption);
                            json.remove("reply_markup");
                            markup.putInto(json);
                            return json;
                        },
                        () -> rateLimiter.acquire(chatId))
                .json();
    }

    private Object editMessageReplyMarkup(ApiParams params) {
        long chatId = editedChat(params);
        Compose.Markup markup = Compose.markup(params, limits);
        return chats.editBotMessage(
                        chatId,
                        messageId(params),
                        json -> {
                            json.remove("reply_markup");
                            markup.putInto(json);
                            return json;
                        },
                        () -> rateLimiter.acquire(chatId))
                .json();
    }

    private Object deleteMessage(ApiParams params) {
        long chatId = chats.existingChat(params);
        chats.deleteMessage(chatId, messageId(params));
        return true;
    }

    private long editedChat(ApiParams params) {
        if (!params.has("chat_id") && params.has("inline_message_id")) {
            // The emulator has no inline mode; Telegram answers an unknown inline message like this.
            throw ApiException.badRequest("message to edit not found");
        }
        return chats.writableChat(params);
    }

    private static Integer messageId(ApiParams params) {
        return params.intValue("message_id", "message identifier is not specified");
    }
}
