package com.neurocards.gateway.telegram;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an image file really is, by its first bytes: the renderer takes JPEG, PNG and WebP, and a client's declared
 * MIME type or file name says only what the sender claims.
 */
public final class ImageBytes {

    /** Bytes enough for every signature below. */
    public static final int HEAD = 12;

    /** The type given to a file whose bytes are none of the images the renderer takes. */
    public static final String NOT_AN_IMAGE = "application/octet-stream";

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBP = "WEBP".getBytes(StandardCharsets.US_ASCII);

    private ImageBytes() {}

    /** {@code image/jpeg}, {@code image/png} or {@code image/webp} when the bytes start like one; empty otherwise. */
    public static Optional<String> mimeType(byte[] head) {
        if (startsWith(head, 0, JPEG)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(head, 0, PNG)) {
            return Optional.of("image/png");
        }
        if (startsWith(head, 0, RIFF) && startsWith(head, 8, WEBP)) {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes != null
                && bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
