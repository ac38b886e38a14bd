package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** getMe, the bot's command list, and sendChatAction. */
final class BotMethods {

    private static final Set<String> CHAT_ACTIONS = Set.of(
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note");
    private static final Pattern COMMAND = Pattern.compile("[a-z0-9_]{1,32}");

    private final JsonObject botUser;
    private final Chats chats;
    /** Commands by scope type + language code, as setMyCommands keys them. */
    private final Map<String, JsonArray> commands = new HashMap<>();

    BotMethods(JsonObject botUser, Chats chats) {
        this.botUser = botUser;
        this.chats = chats;
    }

    void register(MethodRegistry registry) {
        registry.sync("getMe", p -> botUser.copy()
                .put("can_join_groups", true)
                .put("can_read_all_group_messages", false)
                .put("supports_inline_queries", false)
                .put("can_connect_to_business", false)
                .put("has_main_web_app", false));
        registry.sync("setMyCommands", this::setMyCommands);
        registry.sync("getMyCommands", p -> commands(key(p)).copy());
        registry.sync("deleteMyCommands", p -> {
            synchronized (commands) {
                commands.remove(key(p));
            }
            return true;
        });
        registry.sync("sendChatAction", this::sendChatAction);
    }

    private Object setMyCommands(ApiParams params) {
        JsonArray list = params.jsonArray("commands", "can't parse commands JSON object");
        if (list == null) {
            throw ApiException.badRequest("parameter \"commands\" is required");
        }
        if (list.size() > 100) {
            throw ApiException.badRequest("too many commands specified");
        }
        JsonArray normalized = new JsonArray();
        for (Object o : list) {
            if (!(o instanceof JsonObject c)
                    || !(c.getValue("command") instanceof String command)
                    || !(c.getValue("description") instanceof String description)) {
                throw ApiException.badRequest("can't parse BotCommand");
            }
            String name = command.startsWith("/") ? command.substring(1) : command;
            if (!COMMAND.matcher(name).matches()) {
                throw ApiException.badRequest("BOT_COMMAND_INVALID");
            }
            if (description.isBlank() || description.length() > 256) {
                throw ApiException.badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
            }
            normalized.add(new JsonObject().put("command", name).put("description", description));
        }
        synchronized (commands) {
            commands.put(key(params), normalized);
        }
        return true;
    }

    private Object sendChatAction(ApiParams params) {
        long chatId = chats.writableChat(params);
        String action = params.string("action");
        if (action == null || action.isBlank()) {
            throw ApiException.badRequest("parameter \"action\" is required");
        }
        if (!CHAT_ACTIONS.contains(action)) {
            throw ApiException.badRequest("wrong parameter action in request");
        }
        chats.recordChatAction(chatId, action);
        return true;
    }

    JsonArray commands(String key) {
        synchronized (commands) {
            return commands.getOrDefault(key, new JsonArray());
        }
    }

    void clear() {
        synchronized (commands) {
            commands.clear();
        }
    }

    private static String key(ApiParams params) {
        JsonObject scope = params.jsonObject("scope", "can't parse BotCommandScope JSON object");
        String type = scope == null ? "default" : scope.getString("type", "default");
        String language = params.string("language_code");
        return type + "/" + (language == null ? "" : language);
    }
}
