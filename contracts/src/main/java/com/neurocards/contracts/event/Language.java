package com.neurocards.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The language a user talks to the bot in. Russian is the default (sellers on Wildberries and Ozon). */
public enum Language {
    RU("ru"),
    EN("en");

    public static final Language DEFAULT = RU;

    private final String code;

    Language(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public Locale locale() {
        return Locale.forLanguageTag(code);
    }

    /** Reads a language code leniently ("en", "EN", "en-GB"); anything else is the default. */
    @JsonCreator
    public static Language fromCode(String code) {
        if (code != null) {
            String lower = code.toLowerCase(Locale.ROOT);
            for (Language language : values()) {
                if (lower.equals(language.code) || lower.startsWith(language.code + "-")) {
                    return language;
                }
            }
        }
        return DEFAULT;
    }
}
