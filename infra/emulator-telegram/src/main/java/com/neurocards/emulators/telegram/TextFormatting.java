package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a text with {@code parse_mode} into the plain text and entities Telegram stores, failing the way Telegram
 * fails on bad markup ("can't parse entities: ..."). Lengths are checked on the result, as Telegram does.
 * HTML is parsed fully for the tags Telegram supports; MarkdownV2 checks reserved characters and strips markers.
 */
final class TextFormatting {

    record Parsed(String text, JsonArray entities) {}

    private static final Map<String, String> HTML_TAGS = Map.ofEntries(
            Map.entry("b", "bold"),
            Map.entry("strong", "bold"),
            Map.entry("i", "italic"),
            Map.entry("em", "italic"),
            Map.entry("u", "underline"),
            Map.entry("ins", "underline"),
            Map.entry("s", "strikethrough"),
            Map.entry("strike", "strikethrough"),
            Map.entry("del", "strikethrough"),
            Map.entry("span", "spoiler"),
            Map.entry("tg-spoiler", "spoiler"),
            Map.entry("a", "text_link"),
            Map.entry("code", "code"),
            Map.entry("pre", "pre"),
            Map.entry("blockquote", "blockquote"),
            Map.entry("tg-emoji", "custom_emoji"));

    private static final String MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!";
    private static final Pattern BOT_COMMAND = Pattern.compile("(?<![\\w/])/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?");

    private TextFormatting() {}

    static Parsed parse(String raw, String parseMode, JsonArray explicitEntities) {
        if (raw == null) {
            return new Parsed("", new JsonArray());
        }
        if (parseMode == null || parseMode.isBlank()) {
            return new Parsed(raw, explicitEntities == null ? new JsonArray() : explicitEntities);
        }
        return switch (parseMode.trim().toLowerCase()) {
            case "html" -> html(raw);
            case "markdownv2" -> markdownV2(raw);
            case "markdown" -> markdownLegacy(raw);
            default -> throw ApiException.badRequest("unsupported parse_mode");
        };
    }

    /** The bot_command entities a Telegram client marks in what a user types. */
    static JsonArray commandEntities(String text) {
        JsonArray entities = new JsonArray();
        Matcher m = BOT_COMMAND.matcher(text);
        while (m.find()) {
            entities.add(new JsonObject()
                    .put("offset", m.start())
                    .put("length", m.end() - m.start())
                    .put("type", "bot_command"));
        }
        return entities;
    }

    private record Open(String tag, String type, int offset, String url) {}

    private static Parsed html(String raw) {
        StringBuilder text = new StringBuilder();
        JsonArray entities = new JsonArray();
        Deque<Open> open = new ArrayDeque<>();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '<') {
                int end = raw.indexOf('>', i);
                if (end < 0) {
                    throw entitiesError("Unclosed start tag at byte offset " + byteOffset(raw, i));
                }
                String inside = raw.substring(i + 1, end).trim();
                if (inside.startsWith("/")) {
                    String name = inside.substring(1).trim().toLowerCase();
                    if (open.isEmpty()) {
                        throw entitiesError("Unexpected end tag at byte offset " + byteOffset(raw, i));
                    }
                    Open top = open.pop();
                    if (!top.tag().equals(name)) {
                        throw entitiesError("Unmatched end tag at byte offset " + byteOffset(raw, i) + ", expected \"</"
                                + top.tag() + ">\", found \"</" + name + ">\"");
                    }
                    JsonObject entity = new JsonObject()
                            .put("offset", top.offset())
                            .put("length", text.length() - top.offset())
                            .put("type", top.type());
                    if (top.url() != null) {
                        entity.put("url", top.url());
                    }
                    if (entity.getInteger("length") > 0) {
                        entities.add(entity);
                    }
                } else {
                    String name = inside.split("[\\s/]", 2)[0].toLowerCase();
                    String type = HTML_TAGS.get(name);
                    if (type == null || ("span".equals(name) && !inside.contains("tg-spoiler"))) {
                        throw entitiesError(
                                "Unsupported start tag \"" + name + "\" at byte offset " + byteOffset(raw, i));
                    }
                    String url = null;
                    if ("a".equals(name)) {
                        Matcher href = Pattern.compile("href\\s*=\\s*[\"']([^\"']*)[\"']")
                                .matcher(inside);
                        url = href.find() ? href.group(1) : null;
                        type = url != null && url.startsWith("tg://user?id=") ? "text_mention" : "text_link";
                    }
                    open.push(new Open(name, type, text.length(), url));
                }
                i = end + 1;
            } else if (c == '&') {
                int semi = raw.indexOf(';', i);
                String entity = semi > i ? raw.substring(i + 1, semi) : "";
                String decoded =
                        switch (entity) {
                            case "lt" -> "<";
                            case "gt" -> ">";
                            case "amp" -> "&";
                            case "quot" -> "\"";
                            default -> entity.startsWith("#") ? numericEntity(entity) : null;
                        };
                if (decoded == null) {
                    text.append('&');
                    i++;
                } else {
                    text.append(decoded);
                    i = semi + 1;
                }
            } else {
                text.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw entitiesError("Can't find end tag corresponding to start tag \""
                    + open.peek().tag() + "\"");
        }
        return new Parsed(text.toString(), entities);
    }

    private static String numericEntity(String entity) {
        try {
            int cp = entity.startsWith("#x")
                    ? Integer.parseInt(entity.substring(2), 16)
                    : Integer.parseInt(entity.substring(1));
            return new String(Character.toChars(cp));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Parsed markdownV2(String raw) {
        StringBuilder text = new StringBuilder();
        Deque<int[]> open = new ArrayDeque<>(); // {marker char, byte offset}
        boolean inCode = false;
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                text.append(raw.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '`') {
                int len = raw.startsWith("```", i) ? 3 : 1;
                inCode = !inCode;
                i += len;
                continue;
            }
            if (inCode) {
                text.append(c);
                i++;
                continue;
            }
            if (c == '*' || c == '_' || c == '~' || (c == '|' && raw.startsWith("||", i))) {
                int len = (c == '|' || (c == '_' && raw.startsWith("__", i))) ? 2 : 1;
                if (!open.isEmpty() && open.peek()[0] == c) {
                    open.pop();
                } else {
                    open.push(new int[] {c, byteOffset(raw, i)});
                }
                i += len;
                continue;
            }
            if (c == '[') {
                int close = raw.indexOf("](", i);
                int paren = close < 0 ? -1 : raw.indexOf(')', close);
                if (close < 0 || paren < 0) {
                    throw reserved(c);
                }
                text.append(raw, i + 1, close);
                i = paren + 1;
                continue;
            }
            if (MARKDOWN_V2_RESERVED.indexOf(c) >= 0 && !(c == '>' && (i == 0 || raw.charAt(i - 1) == '\n'))) {
                throw reserved(c);
            }
            text.append(c);
            i++;
        }
        if (inCode) {
            throw entitiesError("Can't find end of Code entity at byte offset " + raw.length());
        }
        if (!open.isEmpty()) {
            int[] o = open.peek();
            String name =
                    switch (o[0]) {
                        case '*' -> "Bold";
                        case '_' -> "Italic";
                        case '~' -> "Strikethrough";
                        default -> "Spoiler";
                    };
            throw entitiesError("Can't find end of " + name + " entity at byte offset " + o[1]);
        }
        return new Parsed(text.toString(), new JsonArray());
    }

    private static Parsed markdownLegacy(String raw) {
        StringBuilder text = new StringBuilder();
        int openAt = -1;
        char marker = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                text.append(raw.charAt(++i));
            } else if (c == '*' || c == '_' || c == '`') {
                if (marker == 0) {
                    marker = c;
                    openAt = byteOffset(raw, i);
                } else if (marker == c) {
                    marker = 0;
                } else {
                    text.append(c);
                }
            } else {
                text.append(c);
            }
        }
        if (marker != 0) {
            throw entitiesError("Can't find end of the entity starting at byte offset " + openAt);
        }
        return new Parsed(text.toString(), new JsonArray());
    }

    private static ApiException reserved(char c) {
        return entitiesError("Character '" + c + "' is reserved and must be escaped with the preceding '\\'");
    }

    private static ApiException entitiesError(String detail) {
        return ApiException.badRequest("can't parse entities: " + detail);
    }

    private static int byteOffset(String s, int charIndex) {
        return s.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
    }
}
