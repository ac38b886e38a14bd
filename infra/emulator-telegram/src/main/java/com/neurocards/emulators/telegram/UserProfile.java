package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** A Telegram user the emulator plays; its private chat with the bot has the same id. */
public record UserProfile(long id, String firstName, String lastName, String username, String languageCode) {

    /** A user whose app is in Russian (language_code "ru"), like most sellers the bot is for. */
    public static UserProfile of(long id) {
        return new UserProfile(id, "User" + id, null, "user" + id, "ru");
    }

    public UserProfile withFirstName(String v) {
        return new UserProfile(id, v, lastName, username, languageCode);
    }

    public UserProfile withUsername(String v) {
        return new UserProfile(id, firstName, lastName, v, languageCode);
    }

    public UserProfile withLanguageCode(String v) {
        return new UserProfile(id, firstName, lastName, username, v);
    }

    /** The Bot API User object. */
    JsonObject userJson() {
        JsonObject json = new JsonObject().put("id", id).put("is_bot", false).put("first_name", firstName);
        putIfSet(json, "last_name", lastName);
        putIfSet(json, "username", username);
        putIfSet(json, "language_code", languageCode);
        return json;
    }

    /** The Bot API Chat object of the private chat with this user. */
    JsonObject privateChatJson() {
        JsonObject json = new JsonObject().put("id", id).put("type", "private").put("first_name", firstName);
        putIfSet(json, "last_name", lastName);
        putIfSet(json, "username", username);
        return json;
    }

    private static void putIfSet(JsonObject json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
