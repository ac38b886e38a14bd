package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The private chats between the bot and its users, and the messages in them. Message ids count per chat and are
 * shared by both sides, as in Telegram private chats. Each change is journaled in the {@link EventLog}; what a user
 * does becomes an update in {@link Updates}. One lock guards it all; readers get immutable snapshots.
 */
final class Chats {

    static final String NOT_MODIFIED = "message is not modified: specified new message content and reply markup"
            + " are exactly the same as a current content and reply markup of the message";

    private static final class ChatState {
        UserProfile user;
        boolean blocked;
        int lastMessageId;
        final Map<Integer, ChatMessage> messages = new LinkedHashMap<>();
        final List<JsonObject> chatActions = new ArrayList<>();

        ChatState(UserProfile user) {
            this.user = user;
        }
    }

    private final JsonObject botUser;
    private final Clock clock;
    private final EventLog events;
    private final Updates updates;
    private final Map<Long, ChatState> chats = new LinkedHashMap<>();

    Chats(JsonObject botUser, Clock clock, EventLog events, Updates updates) {
        this.botUser = botUser;
        this.clock = clock;
        this.events = events;
        this.updates = updates;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    // ---- the bot's side -------------------------------------------------------------------------------------

    /** The chat_id parameter of a call, checked: the chat exists and has not blocked the bot. */
    synchronized long writableChat(ApiParams params) {
        long chatId = existingChat(params);
        if (chats.get(chatId).blocked) {
            throw BotApiError.blockedByUser().exception();
        }
        return chatId;
    }

    /** The chat_id parameter of a call, checked to name a chat the emulator knows. */
    synchronized long existingChat(ApiParams params) {
        String raw = params.string("chat_id");
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("chat_id is empty");
        }
        long chatId;
        try {
            chatId = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("chat not found");
        }
        if (!chats.containsKey(chatId)) {
            throw ApiException.badRequest("chat not found");
        }
        return chatId;
    }

    /** Adds a message from the bot; {@code content} holds the kind-specific fields (text, photo, reply_markup...). */
    synchronized ChatMessage addBotMessage(long chatId, JsonObject content, JsonObject replyKeyboard) {
        ChatState chat = chat(chatId);
        if (chat.blocked) {
            throw BotApiError.blockedByUser().exception();
        }
        JsonObject json = envelope(chat, botUser).mergeIn(content);
        ChatMessage message =
                new ChatMessage(chatId, json.getInteger("message_id"), true, json, List.of(), false, replyKeyboard);
        chat.messages.put(message.messageId(), message);
        events.append("bot_message", chatId, message.messageId(), message.toControlJson(false));
        return message;
    }

    /**
     * Applies an edit to a message of the bot. The edit function returns the new JSON (it may throw a Bot API
     * error); an edit that changes nothing is refused with Telegram's "message is not modified". {@code beforeCommit}
     * runs just before the change is stored (the rate limiter: a refused edit costs no token).
     */
    synchronized ChatMessage editBotMessage(
            long chatId, Integer messageId, UnaryOperator<JsonObject> edit, Runnable beforeCommit) {
        if (messageId == null) {
            throw ApiException.badRequest("message identifier is not specified");
        }
        ChatState chat = chat(chatId);
        if (chat.blocked) {
            throw BotApiError.blockedByUser().exception();
        }
        ChatMessage current = chat.messages.get(messageId);
        if (current == null || current.deleted()) {
            throw ApiException.badRequest("message to edit not found");
        }
        if (!current.fromBot()) {
            throw ApiException.badRequest("message can't be edited");
        }
        JsonObject before = current.json();
        JsonObject after = edit.apply(before.copy());
        JsonObject comparableBefore = before.copy();
        comparableBefore.remove("edit_date");
        JsonObject comparableAfter = after.copy();
        comparableAfter.remove("edit_date");
        if (comparableBefore.equals(comparableAfter)) {
            throw ApiException.badRequest(NOT_MODIFIED);
        }
        beforeCommit.run();
        after.put("edit_date", now());
        List<JsonObject> history = new ArrayList<>(current.history());
        history.add(before);
        ChatMessage edited = new ChatMessage(chatId, messageId, true, after, history, false, current.replyKeyboard());
        chat.messages.put(messageId, edited);
        events.append("message_edited", chatId, messageId, edited.toControlJson(false));
        return edited;
    }

    synchronized void deleteMessage(long chatId, Integer messageId) {
        ChatState chat = chat(chatId);
        ChatMessage current = messageId == null ? null : chat.messages.get(messageId);
        if (current == null || current.deleted()) {
            throw ApiException.badRequest("message to delete not found");
        }
        chat.messages.put(
                messageId,
                new ChatMessage(
                        chatId,
                        messageId,
                        current.fromBot(),
                        current.json(),
                        current.history(),
                        true,
                        current.replyKeyboard()));
        events.append("message_deleted", chatId, messageId, new JsonObject().put("from_bot", current.fromBot()));
    }

    synchronized void recordChatAction(long chatId, String action) {
        JsonObject entry = new JsonObject().put("action", action).put("date", now());
        chat(chatId).chatActions.add(entry);
        events.append("chat_action", chatId, null, entry);
    }

    // ---- the user's side ------------------------------------------------------------------------------------

    /** Creates the chat on a user's first contact; later calls refresh the profile. */
    synchronized void ensureChat(UserProfile user) {
        ChatState chat = chats.get(user.id());
        if (chat == null) {
            chats.put(user.id(), new ChatState(user));
        } else {
            chat.user = user;
        }
    }

    synchronized UserProfile user(long userId) {
        return chat(userId).user;
    }

    /** A message a user sends to the bot; becomes a "message" update. A user who blocked the bot restarts it first. */
    synchronized ChatMessage addUserMessage(UserProfile user, JsonObject content) {
        ensureChat(user);
        ChatState chat = chats.get(user.id());
        if (chat.blocked) {
            setBlocked(user.id(), false);
        }
        JsonObject json = envelope(chat, user.userJson()).mergeIn(content);
        ChatMessage message =
                new ChatMessage(user.id(), json.getInteger("message_id"), false, json, List.of(), false, null);
        chat.messages.put(message.messageId(), message);
        events.append("user_message", user.id(), message.messageId(), message.toControlJson(false));
        updates.push("message", json);
        return message;
    }

    /** Blocking sends the bot a my_chat_member update (member → kicked); unblocking the reverse. */
    synchronized void setBlocked(long userId, boolean blocked) {
        ChatState chat = chat(userId);
        if (chat.blocked == blocked) {
            return;
        }
        chat.blocked = blocked;
        String before = blocked ? "member" : "kicked";
        String after = blocked ? "kicked" : "member";
        JsonObject oldMember = new JsonObject().put("status", before).put("user", botUser.copy());
        JsonObject newMember = new JsonObject().put("status", after).put("user", botUser.copy());
        if (blocked) {
            newMember.put("until_date", 0);
        } else {
            oldMember.put("until_date", 0);
        }
        updates.push(
                "my_chat_member",
                new JsonObject()
                        .put("chat", chat.user.privateChatJson())
                        .put("from", chat.user.userJson())
                        .put("date", now())
                        .put("old_chat_member", oldMember)
                        .put("new_chat_member", newMember));
        events.append(blocked ? "blocked" : "unblocked", userId, null, new JsonObject());
    }

    // ---- reading --------------------------------------------------------------------------------------------

    synchronized boolean isBlocked(long chatId) {
        return chat(chatId).blocked;
    }

    synchronized boolean exists(long chatId) {
        return chats.containsKey(chatId);
    }

    synchronized List<Long> chatIds() {
        return List.copyOf(chats.keySet());
    }

    synchronized List<ChatMessage> messages(long chatId) {
        return List.copyOf(chat(chatId).messages.values());
    }

    synchronized Optional<ChatMessage> message(long chatId, int messageId) {
        ChatState chat = chats.get(chatId);
        return chat == null ? Optional.empty() : Optional.ofNullable(chat.messages.get(messageId));
    }

    synchronized List<JsonObject> chatActions(long chatId) {
        return chat(chatId).chatActions.stream().map(JsonObject::copy).toList();
    }

    synchronized JsonObject summary(long chatId) {
        ChatState chat = chat(chatId);
        JsonObject json = new JsonObject()
                .put("chat_id", chatId)
                .put("user", chat.user.userJson())
                .put("blocked", chat.blocked)
                .put("message_count", chat.messages.size());
        chat.messages.values().stream()
                .reduce((a, b) -> b)
                .ifPresent(last -> json.put("last_message", last.toControlJson(false)));
        return json;
    }

    synchronized void clear() {
        chats.clear();
    }

    private ChatState chat(long chatId) {
        ChatState chat = chats.get(chatId);
        if (chat == null) {
            throw ApiException.badRequest("chat not found");
        }
        return chat;
    }

    private JsonObject envelope(ChatState chat, JsonObject from) {
        return new JsonObject()
                .put("message_id", ++chat.lastMessageId)
                .put("from", from.copy())
                .put("chat", chat.user.privateChatJson())
                .put("date", now());
    }
}
