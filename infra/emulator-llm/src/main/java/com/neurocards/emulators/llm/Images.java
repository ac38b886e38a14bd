package com.neurocards.emulators.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The image parts of a request ({@code {"type":"image_url","image_url":{"url":…}}} in a content array), checked as
 * OpenAI checks them: a model without vision refuses any image part, a {@code data:} URL must be base64 of a PNG,
 * JPEG, GIF or WebP within the size limit. What the emulator "sees" in a decodable image ({@link Sight}) goes into
 * the answer, so a test can tell the image arrived.
 */
final class Images {

    private static final List<String> FORMATS = List.of("png", "jpeg", "jpg", "gif", "webp");

    /** A request's image parts refused: the HTTP 400 body to answer. */
    static final class Rejected extends Exception {
        final JsonObject error;

        Rejected(JsonObject error) {
            super(error.getJsonObject("error").getString("message"), null, false, false);
            this.error = error;
        }
    }

    /** What the emulator makes of an image it could decode: its size and the colour most of it has. */
    record Sight(int width, int height, String colour) {
        String orientation() {
            return width == height ? "square" : height > width ? "portrait" : "landscape";
        }

        /** A phrase for the generated text: "mostly blue, portrait 640x800". */
        String describe() {
            return "mostly " + colour + ", " + orientation() + " " + width + "x" + height;
        }
    }

    private Images() {}

    /**
     * Checks every image part of the messages and returns what was seen in the last decodable one (null if none).
     *
     * @throws Rejected with OpenAI's error body when the model has no vision, or an image is too large or unreadable
     */
    static Sight check(JsonArray messages, boolean modelSeesImages, long maxImageBytes) throws Rejected {
        Sight seen = null;
        for (int m = 0; m < messages.size(); m++) {
            if (!(messages.getValue(m) instanceof JsonObject message)
                    || !(message.getValue("content") instanceof JsonArray parts)) {
                continue;
            }
            for (int p = 0; p < parts.size(); p++) {
                if (!(parts.getValue(p) instanceof JsonObject part) || !"image_url".equals(part.getString("type"))) {
                    continue;
                }
                String param = "messages.[" + m + "].content.[" + p + "]";
                if (!modelSeesImages) {
                    throw new Rejected(OpenAiErrors.invalidRequest(
                            "Invalid content type. image_url is only supported by certain models.",
                            param + ".type",
                            null));
                }
                Object wrapper = part.getValue("image_url");
                String url = wrapper instanceof JsonObject o ? o.getString("url") : null;
                if (url == null || url.isBlank()) {
                    throw new Rejected(OpenAiErrors.invalidRequest(
                            "Missing required parameter: '" + param + ".image_url.url'.",
                            param + ".image_url.url",
                            "missing_required_parameter"));
                }
                if (url.startsWith("data:")) {
                    seen = dataUrl(url, maxImageBytes, param);
                } else if (!url.startsWith("https://") && !url.startsWith("http://")) {
                    throw new Rejected(OpenAiErrors.invalidRequest(
                            "Invalid image URL: '" + param + ".image_url'. Expected a base64-encoded data URL with an "
                                    + "image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got "
                                    + "a value without the 'data:' prefix.",
                            param + ".image_url",
                            "invalid_value"));
                }
                // an http(s) URL is taken as is: the emulator fetches nothing
            }
        }
        return seen;
    }

    private static Sight dataUrl(String url, long maxImageBytes, String param) throws Rejected {
        int comma = url.indexOf(',');
        String head = comma < 0 ? url : url.substring(5, comma).toLowerCase(Locale.ROOT);
        String format = head.startsWith("image/") ? head.substring(6).split(";", 2)[0] : "";
        if (comma < 0 || !head.endsWith(";base64") || !FORMATS.contains(format)) {
            throw new Rejected(unsupported(param));
        }
        // base64 is 4 characters per 3 bytes: refuse an oversized image before decoding it
        long approxBytes = (url.length() - comma - 1) / 4L * 3;
        if (approxBytes > maxImageBytes + 3) {
            throw new Rejected(tooLarge(param, maxImageBytes));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new Rejected(OpenAiErrors.invalidRequest(
                    "Invalid base64 image_url.", param + ".image_url", "invalid_image_url"));
        }
        if (bytes.length > maxImageBytes) {
            throw new Rejected(tooLarge(param, maxImageBytes));
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            image = null;
        }
        if (image == null) {
            if (format.equals("webp") || format.equals("gif")) {
                return null; // accepted as OpenAI does; the JDK alone cannot decode these
            }
            throw new Rejected(unsupported(param));
        }
        return new Sight(image.getWidth(), image.getHeight(), dominantColour(image));
    }

    private static JsonObject unsupported(String param) {
        return OpenAiErrors.invalidRequest(
                "You uploaded an unsupported image. Please make sure your image is of one of the following formats: "
                        + "['png', 'jpeg', 'gif', 'webp'].",
                param + ".image_url",
                "invalid_image_format");
    }

    private static JsonObject tooLarge(String param, long maxImageBytes) {
        return OpenAiErrors.invalidRequest(
                "Invalid image: the image is larger than the " + maxImageBytes / (1024 * 1024)
                        + " MB allowed per image. Please upload a smaller image.",
                param + ".image_url",
                "image_too_large");
    }

    private static final String[] HUES = {"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"};

    /** The name of the colour most sampled pixels have (greys by brightness), sampling at most 64×64 points. */
    static String dominantColour(BufferedImage image) {
        int[] votes = new int[HUES.length + 3];
        int stepX = Math.max(1, image.getWidth() / 64);
        int stepY = Math.max(1, image.getHeight() / 64);
        float[] hsb = new float[3];
        for (int y = 0; y < image.getHeight(); y += stepY) {
            for (int x = 0; x < image.getWidth(); x += stepX) {
                int rgb = image.getRGB(x, y);
                java.awt.Color.RGBtoHSB((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, hsb);
                if (hsb[2] < 0.2f) {
                    votes[HUES.length]++; // black
                } else if (hsb[1] < 0.15f) {
                    votes[hsb[2] > 0.8f ? HUES.length + 1 : HUES.length + 2]++; // white, grey
                } else {
                    votes[hue(hsb[0] * 360)]++;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < votes.length; i++) {
            if (votes[i] > votes[best]) {
                best = i;
            }
        }
        return best < HUES.length
                ? HUES[best]
                : List.of("black", "white", "grey").get(best - HUES.length);
    }

    private static int hue(float degrees) {
        if (degrees < 15 || degrees >= 345) return 0;
        if (degrees < 45) return 1;
        if (degrees < 70) return 2;
        if (degrees < 160) return 3;
        if (degrees < 195) return 4;
        if (degrees < 255) return 5;
        if (degrees < 290) return 6;
        return 7;
    }
}
