package com.neurocards.emulators.kie;

import java.util.Locale;

/** Recognises file types by their first bytes, the way a service that must not trust Content-Type does. */
final class MediaTypes {

    private MediaTypes() {}

    /** {@code image/jpeg|png|webp|gif} when the bytes start like one, else {@code null}. */
    static String sniffImage(byte[] b) {
        if (b == null || b.length < 12) {
            return null;
        }
        if ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if ((b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        return null;
    }

    /** The best MIME type for stored bytes: sniffed, else the declared one, else from the file name. */
    static String guess(byte[] bytes, String declared, String fileName) {
        String sniffed = sniffImage(bytes);
        if (sniffed != null) {
            return sniffed;
        }
        if (bytes != null
                && bytes.length > 8
                && bytes[4] == 'f'
                && bytes[5] == 't'
                && bytes[6] == 'y'
                && bytes[7] == 'p') {
            return "video/mp4";
        }
        if (declared != null && !declared.isBlank() && !declared.startsWith("application/octet-stream")) {
            return declared.split(";")[0].trim();
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
        if (name.endsWith(".png")) return "image/png";
        if (name.endsWith(".webp")) return "image/webp";
        if (name.endsWith(".mp4")) return "video/mp4";
        return "application/octet-stream";
    }

    static String extensionFor(String mime) {
        return switch (mime) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "video/mp4" -> ".mp4";
            default -> ".bin";
        };
    }
}
