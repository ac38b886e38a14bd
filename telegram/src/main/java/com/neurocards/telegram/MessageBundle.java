package com.neurocards.telegram;

import com.neurocards.contracts.event.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's texts for users, one properties file per {@link Language}: {@code <baseName>_ru.properties} and
 * {@code <baseName>_en.properties} (UTF-8). No fallback, neither to the JVM's locale nor from one language to the
 * other: a text missing in one language is a bug {@link #problems()} reports, not a silent switch of language.
 *
 * <p>The one escaping rule: a text is a {@link MessageFormat} pattern in which {@code {0}}, {@code {1}}, ... are the
 * arguments and an apostrophe is just an apostrophe ({@code user {0}'s balance}, {@code don't}); there is no quoting,
 * so a text cannot show a literal curly brace. Arguments are shown as {@link String#valueOf} gives them: numbers as
 * plain digits, never grouped by locale.
 */
public final class MessageBundle {

    private final String baseName;
    private final Map<Language, ResourceBundle> bundles = new EnumMap<>(Language.class);

    /**
     * Loads every language now.
     *
     * @param baseName e.g. {@code i18n.messages} for {@code i18n/messages_ru.properties}
     * @param loader   the class loader that sees the service's resources
     * @throws MissingResourceException when a language has no file
     */
    public MessageBundle(String baseName, ClassLoader loader) {
        this.baseName = baseName;
        for (Language language : Language.values()) {
            bundles.put(
                    language, ResourceBundle.getBundle(baseName, language.locale(), loader, Utf8OneLocale.INSTANCE));
        }
    }

    /**
     * The text of {@code key} in {@code language} (null: {@link Language#DEFAULT}), arguments filled in.
     *
     * @throws IllegalArgumentException when there is no such text
     */
    public String get(Language language, String key, Object... args) {
        Language lang = language == null ? Language.DEFAULT : language;
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = String.valueOf(args[i]);
        }
        return format(pattern(lang, key), lang).format(shown);
    }

    public boolean has(Language language, String key) {
        return bundles.get(language).containsKey(key);
    }

    public Set<String> keys(Language language) {
        return bundles.get(language).keySet();
    }

    /** Keys that some language lacks, and texts that are not valid patterns under the rule above; empty when all is well. */
    public List<String> problems() {
        Set<String> all = new TreeSet<>();
        bundles.values().forEach(bundle -> all.addAll(bundle.keySet()));
        List<String> problems = new ArrayList<>();
        for (Language language : Language.values()) {
            for (String key : all) {
                if (!has(language, key)) {
                    problems.add(baseName + "_" + language.code() + ": no text '" + key + "'");
                    continue;
                }
                try {
                    format(pattern(language, key), language);
                } catch (IllegalArgumentException e) {
                    problems.add(baseName + "_" + language.code() + ": '" + key + "' is not a valid pattern: "
                            + e.getMessage());
                }
            }
        }
        return problems;
    }

    private String pattern(Language language, String key) {
        try {
            return bundles.get(language).getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("No text '" + key + "' in " + language + " (" + baseName + ")", e);
        }
    }

    /** Apostrophes doubled: MessageFormat's quoting is never in play, every apostrophe is shown as written. */
    private static MessageFormat format(String pattern, Language language) {
        return new MessageFormat(pattern.replace("'", "''"), language.locale());
    }

    /** Exactly {@code <baseName>_<language>.properties}, read as UTF-8: no parent bundle, no fallback locale. */
    private static final class Utf8OneLocale extends ResourceBundle.Control {

        static final Utf8OneLocale INSTANCE = new Utf8OneLocale();

        @Override
        public List<String> getFormats(String baseName) {
            return FORMAT_PROPERTIES;
        }

        @Override
        public List<Locale> getCandidateLocales(String baseName, Locale locale) {
            return List.of(locale);
        }

        @Override
        public Locale getFallbackLocale(String baseName, Locale locale) {
            return null;
        }

        @Override
        public ResourceBundle newBundle(
                String baseName, Locale locale, String format, ClassLoader loader, boolean reload) throws IOException {
            String resource = toResourceName(toBundleName(baseName, locale), "properties");
            try (InputStream in = loader.getResourceAsStream(resource)) {
                return in == null
                        ? null
                        : new PropertyResourceBundle(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
    }
}
