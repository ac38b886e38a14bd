package com.neurocards.gateway.conversation;

import com.neurocards.contracts.BotButtons;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an inline button means, and its callback data: short ASCII (Telegram allows 64 bytes), strictly parsed.
 * Data that does not parse, is too long or names nothing known is {@link Invalid}: it does nothing and reveals
 * nothing. Draft buttons carry the draft's number; job buttons carry the job id and are checked against the
 * caller before anything is looked up for them.
 */
public sealed interface Callback {

    int MAX_BYTES = 64;

    String data();

    /** Main-menu buttons. */
    enum Target {
        MENU(BotButtons.MENU),
        GENERATE("gen"),
        BUY(BotButtons.BUY_CREDITS),
        VIDEOS("vids"),
        HELP("help"),
        LANGUAGE("lang");

        private final String data;

        Target(String data) {
            this.data = data;
        }
    }

    /** What the Edit button lets the user change. */
    enum Field {
        PHOTO,
        DESCRIPTION,
        TEMPLATE,
        MODEL,
        COUNT
    }

    record Nav(Target target) implements Callback {
        public String data() {
            return target.data;
        }
    }

    record SetLanguage(Language language) implements Callback {
        public String data() {
            return "lang:" + language.code();
        }
    }

    record PickTemplate(long draft, Template template) implements Callback {
        public String data() {
            return "tpl:" + draft + ":" + template.name();
        }
    }

    record SkipWishes(long draft) implements Callback {
        public String data() {
            return "nowish:" + draft;
        }
    }

    record PickModel(long draft, VideoModel model) implements Callback {
        public String data() {
            return "mdl:" + draft + ":" + model.code();
        }
    }

    record PickCount(long draft, int count) implements Callback {
        public String data() {
            return "cnt:" + draft + ":" + count;
        }
    }

    /**
     * Confirm on a card: {@code version} is the {@link Draft#version()} of the order the card showed ({@code null} on
     * cards sent before cards carried it).
     */
    record Confirm(long draft, String version) implements Callback {
        public Confirm(long draft) {
            this(draft, null);
        }

        public String data() {
            return version == null ? "ok:" + draft : "ok:" + draft + ":" + version;
        }
    }

    record Edit(long draft) implements Callback {
        public String data() {
            return "edit:" + draft;
        }
    }

    record EditField(long draft, Field field) implements Callback {
        public String data() {
            return "ed:" + draft + ":" + field.name().toLowerCase(Locale.ROOT);
        }
    }

    record Cancel(long draft) implements Callback {
        public String data() {
            return "no:" + draft;
        }
    }

    record MakeMore(String jobId) implements Callback {
        public String data() {
            return BotButtons.makeMore(jobId);
        }
    }

    record Resend(String jobId) implements Callback {
        public String data() {
            return "vid:" + jobId;
        }
    }

    record BuyPack(String packId) implements Callback {
        public String data() {
            return "pack:" + packId;
        }
    }

    record Invalid(String raw) implements Callback {
        public String data() {
            return raw;
        }
    }

    Pattern DRAFT_BUTTON =
            Pattern.compile("(tpl|nowish|mdl|cnt|ok|edit|ed|no):([1-9][0-9]{0,17})(?::([A-Za-z0-9]{1,12}))?");
    Pattern JOB_BUTTON = Pattern.compile("(more|vid):([A-Za-z0-9_-]{1,58})");
    Pattern PACK_BUTTON = Pattern.compile("pack:([a-z0-9_]{1,16})");

    static Callback parse(String data) {
        if (data == null || data.isEmpty() || data.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return new Invalid(data == null ? "" : data);
        }
        for (Target target : Target.values()) {
            if (target.data.equals(data)) {
                return new Nav(target);
            }
        }
        if (data.equals("lang:ru") || data.equals("lang:en")) {
            return new SetLanguage(Language.fromCode(data.substring(5)));
        }
        Matcher draft = DRAFT_BUTTON.matcher(data);
        if (draft.matches()) {
            return draftButton(draft.group(1), Long.parseLong(draft.group(2)), draft.group(3), data);
        }
        Matcher job = JOB_BUTTON.matcher(data);
        if (job.matches()) {
            return job.group(1).equals("more") ? new MakeMore(job.group(2)) : new Resend(job.group(2));
        }
        Matcher pack = PACK_BUTTON.matcher(data);
        if (pack.matches()) {
            return new BuyPack(pack.group(1));
        }
        return new Invalid(data);
    }

    private static Callback draftButton(String kind, long number, String arg, String raw) {
        try {
            return switch (kind) {
                case "tpl" -> new PickTemplate(number, Template.valueOf(arg));
                case "cnt" -> new PickCount(number, Integer.parseInt(arg));
                case "ed" -> new EditField(number, Field.valueOf(arg.toUpperCase(Locale.ROOT)));
                case "nowish" -> arg == null ? new SkipWishes(number) : new Invalid(raw);
                case "mdl" -> VideoModel.byCode(arg)
                        .<Callback>map(model -> new PickModel(number, model))
                        .orElseGet(() -> new Invalid(raw));
                case "ok" -> new Confirm(number, arg);
                case "edit" -> arg == null ? new Edit(number) : new Invalid(raw);
                case "no" -> arg == null ? new Cancel(number) : new Invalid(raw);
                default -> new Invalid(raw);
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Invalid(raw);
        }
    }
}
