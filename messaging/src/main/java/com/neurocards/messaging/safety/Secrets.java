package com.neurocards.messaging.safety;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What counts as a usable secret, how to compare one without leaking its length of match, and the bot token's shape. */
public final class Secrets {

    /** 32 characters: 192 bits or more from the generators the docs recommend ({@code openssl rand -hex 32}). */
    public static final int MIN_LENGTH = 32;

    /** A real bot token: the bot's numeric id, a colon and 35 characters of base64url (BotFather's format). */
    private static final Pattern BOT_TOKEN = Pattern.compile("\\d{5,20}:[A-Za-z0-9_-]{30,}");

    /** Words that mark a value as a placeholder copied from an example rather than a generated secret. */
    private static final Set<String> PLACEHOLDERS =
            Set.of("changeme", "change-me", "change_me", "secret", "password", "example", "token", "demo", "test");

    private Secrets() {}

    /** Empty, blank or absent. */
    public static boolean missing(Optional<String> value) {
        return value.map(String::isBlank).orElse(true);
    }

    /**
     * Long enough, not one repeated character and not an example placeholder. A weak secret is refused rather than
     * warned about: a guessable internal token or webhook secret is an open door.
     */
    public static boolean strong(String value) {
        if (value == null || value.length() < MIN_LENGTH) {
            return false;
        }
        if (value.chars().distinct().count() < 8) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return PLACEHOLDERS.stream().noneMatch(word -> lower.replace(word, "").length() < MIN_LENGTH / 2);
    }

    /** Whether a bot token has BotFather's shape (a malformed one fails every call with 401 or 404). */
    public static boolean wellFormedBotToken(String token) {
        return token != null && BOT_TOKEN.matcher(token).matches();
    }

    /** Compares a presented secret with the expected one in time that does not depend on where they differ. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
