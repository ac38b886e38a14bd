package com.neurocards.gateway.telegram;

import com.neurocards.contracts.event.Language;
import java.util.Locale;
import java.util.Set;

/**
 * The language a user is first greeted in, from the {@code language_code} Telegram sends with their updates (the IETF
 * tag of their app's language, e.g. {@code ru} or {@code uk-UA}). Only a first contact uses it: once the bot has
 * talked to a user, their stored language (or the one they chose with /language) stays.
 */
public final class AppLanguage {

    /** Russian, and the languages whose speakers the bot greets in Russian: Ukrainian, Belarusian, Kazakh. */
    private static final Set<String> GREETED_IN_RUSSIAN = Set.of("ru", "uk", "be", "kk");

    private AppLanguage() {}

    /** Russian for ru, uk, be and kk (with or without a region); English for any other code and for none. */
    public static Language of(String languageCode) {
        if (languageCode == null) {
            return Language.EN;
        }
        String primary = languageCode.strip().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        return GREETED_IN_RUSSIAN.contains(primary) ? Language.RU : Language.EN;
    }
}
