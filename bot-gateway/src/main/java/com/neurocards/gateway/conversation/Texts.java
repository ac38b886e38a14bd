package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Language;

import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The bot's texts from the message bundles {@code i18n/messages_<lang>.properties}. No fallback to the JVM's
 * default locale: a key missing in one language is a bug a test catches, not a silent switch of language.
 */
public final class Texts {

    public static final String BUNDLE = "i18n.messages";

    private final Map<Language, ResourceBundle> bundles = new EnumMap<>(Language.class);

    public Texts() {
        ResourceBundle.Control control = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        for (Language language : Language.values()) {
            bundles.put(language, ResourceBundle.getBundle(BUNDLE, language.locale(), Texts.class.getClassLoader(), control));
        }
    }

    /** The text of {@code key} in {@code language}, with {@code args} filled in (numbers as plain digits). */
    public String get(Language language, String key, Object... args) {
        String pattern;
        try {
            pattern = bundles.get(language).getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("No text '" + key + "' in " + language, e);
        }
        if (args.length == 0) {
            return pattern.replace("''", "'");
        }
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = args[i] instanceof Number ? args[i].toString() : args[i];
        }
        return new MessageFormat(pattern, language.locale()).format(plain);
    }

    public boolean has(Language language, String key) {
        return bundles.get(language).containsKey(key);
    }

    public java.util.Set<String> keys(Language language) {
        return bundles.get(language).keySet();
    }
}
