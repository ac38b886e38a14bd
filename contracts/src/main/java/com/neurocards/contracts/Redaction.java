package com.neurocards.contracts;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that may reach a log, an event, a header or a user: Telegram bot tokens (they also sit
 * inside Telegram file URLs), bearer credentials, {@code key=...}-style query parameters, the KIE callback secret (the
 * path segment of {@code /kie/callback/<secret>}, a URL the pipeline hands KIE) and billing's internal token (the
 * {@code X-Internal-Token} header's value).
 */
public final class Redaction {

    private static final String MASK = "***";
    private static final Pattern BOT_TOKEN = Pattern.compile("\\d{5,}:[A-Za-z0-9_-]{10,}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern KEY_PARAM =
            Pattern.compile("(?i)((?:api[_-]?key|token|secret|password)[\"']?\\s*[=:]\\s*[\"']?)[^\\s\"'&,}]+");
    /** The callback URL's last segment, wherever the URL shows up (KIE's echo of a request, a log of it). */
    private static final Pattern CALLBACK_SECRET = Pattern.compile("(?i)(/kie/callback/)[^/\\s?#\"'&,}\\]]+");
    /** The header in any dump: {@code X-Internal-Token: v}, {@code x-internal-token=v}, {@code "X-Internal-Token":"v"}. */
    private static final Pattern INTERNAL_TOKEN =
            Pattern.compile("(?i)(x-internal-token[\"']?\\s*[=:]?\\s*[\"'\\[]?)[^\\s\"'&,}\\]]+");

    private Redaction() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = BOT_TOKEN.matcher(text).replaceAll(MASK);
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        out = KEY_PARAM.matcher(out).replaceAll("$1" + MASK);
        out = CALLBACK_SECRET.matcher(out).replaceAll("$1" + MASK);
        out = INTERNAL_TOKEN.matcher(out).replaceAll("$1" + MASK);
        return out;
    }

    /** {@link #redact(String)} that also removes every given literal secret (configured keys and tokens). */
    public static String redact(String text, Iterable<String> secrets) {
        String out = text;
        if (out != null) {
            for (String secret : secrets) {
                if (secret != null && secret.length() >= 4) {
                    out = out.replace(secret, MASK);
                }
            }
        }
        return redact(out);
    }

    /** One line describing a failure, secrets removed, bounded in length (fit for a header or an event). */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        String line = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        line = redact(line.replaceAll("\\s+", " "));
        return line.length() > 500 ? line.substring(0, 497) + "..." : line;
    }
}
