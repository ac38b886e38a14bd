package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Inline button presses (callback_query updates) and the bot's answers to them. An answer to an unknown,
 * already answered or too old query gets Telegram's "query is too old ..." error.
 */
final class CallbackQueries {

    static final String TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

    private final Chats chats;
    private final Updates updates;
    private final EventLog events;
    private final Clock clock;
    private final Limits limits;
    private final Map<String, CallbackAnswer> queries = new LinkedHashMap<>();
    private final Map<String, Long> pressedAtMillis = new LinkedHashMap<>();

    CallbackQueries(Chats chats, Updates updates, EventLog events, Clock clock, Limits limits) {
        this.chats = chats;
        this.updates = updates;
        this.events = events;
        this.clock = clock;
        this.limits = limits;
    }

    /** The user presses the button with {@code callbackData} under a bot message; returns the callback query id. */
    synchronized String press(long userId, int messageId, String callbackData) {
        ChatMessage message = chats.message(userId, messageId)
                .filter(m -> m.fromBot() && !m.deleted())
                .orElseThrow(() -> new IllegalArgumentException("no bot message " + messageId + " in chat " + userId));
        boolean hasButton = message.buttons().stream().anyMatch(b -> callbackData.equals(b.callbackData()));
        if (!hasButton) {
            throw new IllegalArgumentException(
                    "message " + messageId + " has no button with callback_data '" + callbackData + "'");
        }
        UserProfile user = chats.user(userId);
        String id = Long.toUnsignedString(ThreadLocalRandom.current().nextLong());
        queries.put(id, new CallbackAnswer(id, userId, messageId, callbackData, false, null, false, null, 0));
        pressedAtMillis.put(id, clock.millis());
        JsonObject query = new JsonObject()
                .put("id", id)
                .put("from", user.userJson())
                .put("message", message.json())
                .put("chat_instance", Long.toString(userId * 31 + 7))
                .put("data", callbackData);
        events.append("callback_query", userId, messageId, query);
        updates.push("callback_query", query);
        return id;
    }

    synchronized boolean answer(ApiParams params) {
        String id = params.string("callback_query_id");
        CallbackAnswer pressed = id == null ? null : queries.get(id);
        if (pressed == null
                || pressed.answered()
                || clock.millis() - pressedAtMillis.get(id)
                        > limits.callbackQueryTimeout().toMillis()) {
            throw ApiException.badRequest(TOO_OLD);
        }
        String text = params.string("text");
        if (text != null && text.length() > limits.maxCallbackAnswerTextLength()) {
            throw ApiException.badRequest("MESSAGE_TOO_LONG");
        }
        Integer cacheTime = params.intValue("cache_time", "cache_time is invalid");
        CallbackAnswer answer = new CallbackAnswer(
                id,
                pressed.chatId(),
                pressed.messageId(),
                pressed.data(),
                true,
                text,
                params.bool("show_alert"),
                params.string("url"),
                cacheTime == null ? 0 : cacheTime);
        queries.put(id, answer);
        events.append("callback_answer", pressed.chatId(), pressed.messageId(), answer.toJson());
        return true;
    }

    synchronized Optional<CallbackAnswer> get(String callbackQueryId) {
        return Optional.ofNullable(queries.get(callbackQueryId));
    }

    synchronized List<CallbackAnswer> inChat(long chatId) {
        return queries.values().stream().filter(q -> q.chatId() == chatId).toList();
    }

    synchronized void clear() {
        queries.clear();
        pressedAtMillis.clear();
    }
}
