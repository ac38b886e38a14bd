package com.neurocards.telegram;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the bot's users reach a person ({@code SUPPORT_CONTACT}): a Telegram {@code @username} or an {@code https}
 * link. Both services name it wherever a seller cannot fix a problem alone: help, /support, /paysupport, a refunded
 * payment, a video that failed on our side. {@link TelegramSafety} refuses a production start without a valid one;
 * elsewhere a missing or malformed value is no contact at all, and the texts say so.
 */
@Singleton
public class SupportContact {

    /** The environment variable. */
    public static final String VARIABLE = "SUPPORT_CONTACT";

    /** Telegram's rule for a username: 5 to 32 of a–z, 0–9 and _, starting with a letter, not ending with _. */
    private static final Pattern USERNAME = Pattern.compile("@[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]");

    private final Optional<String> contact;

    @Inject
    SupportContact(TelegramConfig config) {
        this(config.supportContact());
    }

    private SupportContact(Optional<String> configured) {
        this.contact =
                configured.map(String::strip).filter(value -> problem(value).isEmpty());
    }

    /** A contact of this value (tests, plain Java); a missing or malformed one is none. */
    public static SupportContact of(String configured) {
        return new SupportContact(Optional.ofNullable(configured));
    }

    /** The contact as sellers read it; empty when none is set or the value is not a contact. */
    public Optional<String> contact() {
        return contact;
    }

    /** What is wrong with {@code value} as a contact; empty when it is a {@code @username} or an https link. */
    public static Optional<String> problem(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return Optional.of("is empty");
        }
        if (v.startsWith("@")) {
            return USERNAME.matcher(v).matches()
                    ? Optional.empty()
                    : Optional.of("is not a Telegram @username (5 to 32 letters, digits or _ after the @, starting"
                            + " with a letter and not ending with _)");
        }
        try {
            URI uri = new URI(v);
            if ("https".equals(lower(uri.getScheme()))
                    && uri.getHost() != null
                    && !uri.getHost().isBlank()
                    && uri.getUserInfo() == null) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            // not a link either: the finding below
        }
        return Optional.of("is neither a Telegram @username nor an https link");
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
