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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's texts for users, one properties file per {@link Language}: {@code <baseName>_ru.properties} and
 * {@code <baseName>_en.properties} (UTF-8). No fallback, neither to the JVM's locale nor from one language to the
 * other: a text missing in one language is a bug {@link #problems()} reports, not a silent switch of language.
 *
 * <p>The one escaping rule: a text is a {@link MessageFormat} pattern in which {@code {0}}, {@code {1}}, ... are the
 * arguments and an apostrophe is just an apostrophe ({@code user {0}'s balance}, {@code don't}); there is no quoting,
 * so a text cannot show a literal curly brace. Arguments are shown as {@link String#valueOf} gives them: numbers as
 * plain digits, never grouped by locale.
 *
 * <p>A word that agrees with a number is written {@code {N,plural,form|form|...}}: the form for the number in argument
 * {@code N}, by the language's plural rule. Russian has three forms ({@code {1,plural,кредит|кредита|кредитов}}: 1, 21
 * кредит; 3, 22 кредита; 5, 11, 12 кредитов), English two ({@code {1,plural,credit|credits}}).
 */
public final class MessageBundle {

    /** {@code {N,plural,form|form|...}}; a form cannot hold a brace or a bar. */
    private static final Pattern PLURAL = Pattern.compile("\\{(\\d+),plural,([^{}]*)}");

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
        return format(plurals(pattern(lang, key), lang, args), lang).format(shown);
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
                    format(plurals(pattern(language, key), language, null), language);
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

    /**
     * The pattern with each {@code {N,plural,...}} replaced by its form for argument {@code N} ({@code args} null:
     * checks the forms only, taking the first).
     *
     * @throws IllegalArgumentException when a plural has the wrong number of forms for the language, or its argument
     *     is missing or not a whole number
     */
    private static String plurals(String pattern, Language language, Object[] args) {
        Matcher plural = PLURAL.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (plural.find()) {
            int index = Integer.parseInt(plural.group(1));
            String[] forms = plural.group(2).split("\\|", -1);
            int expected = language == Language.RU ? 3 : 2;
            if (forms.length != expected) {
                throw new IllegalArgumentException("{" + index + ",plural,...} has " + forms.length + " forms, "
                        + language + " needs " + expected);
            }
            int form = args == null ? 0 : pluralForm(language, wholeNumber(args, index));
            plural.appendReplacement(out, Matcher.quoteReplacement(forms[form]));
        }
        plural.appendTail(out);
        return out.toString();
    }

    /** Which plural form {@code n} takes: Russian one/few/many (0, 1, 2), English one/other (0, 1). */
    static int pluralForm(Language language, long n) {
        long abs = Math.abs(n);
        if (language != Language.RU) {
            return abs == 1 ? 0 : 1;
        }
        long lastTwo = abs % 100;
        long last = abs % 10;
        if (last == 1 && lastTwo != 11) {
            return 0;
        }
        if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) {
            return 1;
        }
        return 2;
    }

    private static long wholeNumber(Object[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("{" + index + ",plural,...} has no argument " + index);
        }
        Object arg = args[index];
        if (arg instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(arg).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("{" + index + ",plural,...} needs a whole number, not " + arg, e);
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
