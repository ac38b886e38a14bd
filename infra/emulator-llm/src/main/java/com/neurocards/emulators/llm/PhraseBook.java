package com.neurocards.emulators.llm;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes plausible strings for a field, about the product the user described. Variant {@code n} walks the phrase
 * lists with different strides, so items of one array read differently (the pipeline asks for N distinct prompts).
 */
final class PhraseBook {

    private static final List<String> SCENES = List.of(
            "the product rests on a sunlit marble kitchen counter",
            "a hand lifts the product from a linen-covered table",
            "the product sits on a wooden shelf among green plants",
            "a slow reveal of the product from behind a soft curtain",
            "the product rotates on a turntable against a pastel backdrop",
            "morning light falls across the product on a cafe table",
            "the product is unboxed on a cozy bed with a knitted blanket",
            "close-up details of the product's texture and finish",
            "the product in everyday use in a bright modern apartment",
            "the product floats above rippling water with gentle reflections",
            "a customer smiles while showing the product to the camera",
            "the product on a rainy windowsill with city lights behind");
    private static final List<String> CAMERAS = List.of(
            "slow cinematic push-in",
            "smooth orbit around the subject",
            "handheld UGC-style framing",
            "top-down overhead shot",
            "gentle dolly from left to right",
            "macro close-up with shallow depth of field",
            "low-angle hero shot",
            "static tripod shot with subtle zoom",
            "tracking shot following a hand");
    private static final List<String> LIGHTS = List.of(
            "soft studio light",
            "warm golden-hour glow",
            "crisp natural daylight",
            "moody low-key lighting",
            "bright high-key commercial lighting",
            "neon accent lights",
            "diffused window light");
    private static final List<String> MOODS =
            List.of("cozy", "energetic", "premium", "playful", "calm", "trustworthy", "festive", "minimalist");
    private static final List<String> AUDIO = List.of(
            "light acoustic guitar",
            "upbeat lo-fi beat",
            "soft piano",
            "ambient cafe sounds",
            "gentle synth pads",
            "cheerful ukulele",
            "no music, natural room tone");
    private static final Pattern PRODUCT = Pattern.compile(
            "(?iu)(?:product(?:\\s+description)?|item|товар|описание(?:\\s+товара)?)\\s*[:：—-]\\s*([^\\n.;]+)");

    private final String product;
    /** What the emulator saw in the request's image, or null: said in every video prompt. */
    private final Images.Sight sight;

    PhraseBook(String userText) {
        this(userText, null);
    }

    PhraseBook(String userText, Images.Sight sight) {
        this.product = productOf(userText);
        this.sight = sight;
    }

    String product() {
        return product;
    }

    /** A string for a field called {@code field} (may be null), variant {@code n}. */
    String phrase(String field, int n) {
        String f = field == null ? "" : field.toLowerCase(Locale.ROOT);
        if (f.contains("camera") || f.contains("shot")) {
            return pick(CAMERAS, n, 2); // same strides as videoPrompt, so fields agree with the prompt
        }
        if (f.contains("mood") || f.contains("tone") || f.contains("style") || f.contains("vibe")) {
            return pick(MOODS, n, 5);
        }
        if (f.contains("light")) {
            return pick(LIGHTS, n, 3);
        }
        if (f.contains("music") || f.contains("audio") || f.contains("sound")) {
            return pick(AUDIO, n, 4);
        }
        if (f.contains("title") || f.contains("name") || f.contains("headline")) {
            return capitalize(pick(MOODS, n, 1)) + " " + product + " — take " + (n + 1);
        }
        if (f.contains("hook") || f.contains("caption")) {
            return "Meet your new favourite " + product + " (" + pick(MOODS, n, 3) + " edition)";
        }
        if (f.contains("lang") || f.contains("locale")) {
            return "en";
        }
        if (f.isEmpty()
                || f.contains("prompt")
                || f.contains("script")
                || f.contains("scene")
                || f.contains("description")
                || f.contains("text")
                || f.contains("content")) {
            return videoPrompt(n);
        }
        return capitalize(f.replace('_', ' ')) + " for " + product + ", variant " + (n + 1);
    }

    /** An 8-second vertical product video prompt, in English, without people's faces or logos. */
    String videoPrompt(int n) {
        return "Vertical 9:16 product video of " + product
                + (sight == null ? "" : " (as in the photo: " + sight.describe() + ")") + ": " + pick(SCENES, n, 1)
                + ", " + pick(CAMERAS, n, 2)
                + ", " + pick(LIGHTS, n, 3) + ", " + pick(MOODS, n, 5) + " mood, " + pick(AUDIO, n, 4)
                + ". No text overlays, no logos.";
    }

    private static String pick(List<String> list, int n, int stride) {
        return list.get(Math.floorMod(n * stride, list.size()));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The product from "Product: …" (or the Russian labels), else the start of the message. */
    static String productOf(String userText) {
        String text = LlmOutcome.stripMarkers(userText);
        Matcher m = PRODUCT.matcher(text);
        String p = m.find() ? m.group(1) : text.split("[\\n.!?]", 2)[0];
        p = p.trim();
        if (p.length() > 80) {
            p = p.substring(0, 80).trim();
        }
        return p.isEmpty() ? "the product" : p;
    }
}
