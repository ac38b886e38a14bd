package com.neurocards.pipeline.notify;

import com.neurocards.contracts.event.Language;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** User-facing texts from the {@code messages/pipeline} bundles: Russian by default, English when the user chose it. */
public final class Texts {

    private static final String BUNDLE = "messages.pipeline";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Texts() {
    }

    /** The text for {@code key}; arguments are shown as given (strings, so numbers are not localised oddly). */
    public static String get(Language language, String key, Object... args) {
        Language lang = language == null ? Language.DEFAULT : language;
        Locale locale = lang == Language.RU ? Locale.ROOT : lang.locale();
        String pattern = ResourceBundle.getBundle(BUNDLE, locale, Texts.class.getClassLoader(), NO_FALLBACK).getString(key);
        if (args.length == 0) {
            return pattern.replace("''", "'");
        }
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = String.valueOf(args[i]);
        }
        return new MessageFormat(pattern.replace("'", "''"), locale).format(shown);
    }
}
