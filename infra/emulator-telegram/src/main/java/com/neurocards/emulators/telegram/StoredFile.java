package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonObject;

/** A file the emulator holds, with the ids Telegram would have issued for it. */
public record StoredFile(
        String fileId,
        String fileUniqueId,
        Kind kind,
        byte[] bytes,
        String mimeType,
        String fileName,
        int width,
        int height,
        int duration,
        String filePath) {

    public enum Kind {
        PHOTO,
        VIDEO,
        DOCUMENT,
        STICKER,
        VOICE
    }

    public long size() {
        return bytes.length;
    }

    /** PhotoSize. */
    JsonObject photoSizeJson() {
        return new JsonObject()
                .put("file_id", fileId)
                .put("file_unique_id", fileUniqueId)
                .put("width", width)
                .put("height", height)
                .put("file_size", size());
    }

    /** Video / Document / Voice / Sticker, depending on the kind. */
    JsonObject mediaJson() {
        JsonObject json = new JsonObject().put("file_id", fileId).put("file_unique_id", fileUniqueId);
        switch (kind) {
            case VIDEO -> json.put("width", width).put("height", height).put("duration", duration);
            case VOICE -> json.put("duration", duration);
            case STICKER -> json.put("type", "regular")
                    .put("width", width)
                    .put("height", height)
                    .put("is_animated", false)
                    .put("is_video", false);
            default -> {}
        }
        if (fileName != null && (kind == Kind.VIDEO || kind == Kind.DOCUMENT)) {
            json.put("file_name", fileName);
        }
        if (mimeType != null && kind != Kind.STICKER) {
            json.put("mime_type", mimeType);
        }
        return json.put("file_size", size());
    }
}
