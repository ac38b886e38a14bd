package com.neurocards.emulators.telegram;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every file the bot uploaded or a user sent, by file_id and by file_path. A file_path becomes downloadable only
 * once getFile issued it, like the real {@code /file/bot<token>/<file_path>}.
 */
final class Files {

    /** Telegram's photo thumbnails ("s", "m", "x"); the largest size is the original. */
    private static final int[] PHOTO_SIDES = {90, 320, 800};

    private final SecureRandom random = new SecureRandom();
    private final Map<String, StoredFile> byId = new HashMap<>();
    private final Map<String, StoredFile> byPath = new HashMap<>();
    private final Set<String> issuedPaths = ConcurrentHashMap.newKeySet();
    /** Every size of a photo by the file_id of any of them, so a photo resent by file_id keeps all its sizes. */
    private final Map<String, List<StoredFile>> photoSets = new HashMap<>();

    private long counter;

    synchronized StoredFile store(
            StoredFile.Kind kind, byte[] bytes, String mimeType, String fileName, int width, int height, int duration) {
        long n = ++counter;
        String fileId = prefix(kind) + randomId(42);
        String uniqueId = "AQAD" + randomId(12);
        String path = folder(kind) + "/file_" + n + "." + extension(kind, mimeType, fileName);
        StoredFile file =
                new StoredFile(fileId, uniqueId, kind, bytes, mimeType, fileName, width, height, duration, path);
        byId.put(fileId, file);
        byPath.put(path, file);
        return file;
    }

    /** The sizes Telegram makes of a photo, smallest first; the last one is the original bytes. */
    List<StoredFile> storePhoto(byte[] bytes) {
        int[] size = MediaProbe.imageSize(bytes);
        if (size == null) {
            throw ApiException.badRequest("IMAGE_PROCESS_FAILED");
        }
        List<StoredFile> sizes = new ArrayList<>();
        int longest = Math.max(size[0], size[1]);
        for (int side : PHOTO_SIDES) {
            if (side < longest) {
                double scale = (double) side / longest;
                int w = Math.max(1, (int) Math.round(size[0] * scale));
                int h = Math.max(1, (int) Math.round(size[1] * scale));
                byte[] scaled = MediaProbe.scaledJpeg(bytes, w, h);
                sizes.add(store(StoredFile.Kind.PHOTO, scaled, "image/jpeg", null, w, h, 0));
            }
        }
        sizes.add(store(StoredFile.Kind.PHOTO, bytes, "image/jpeg", null, size[0], size[1], 0));
        List<StoredFile> set = List.copyOf(sizes);
        synchronized (this) {
            set.forEach(f -> photoSets.put(f.fileId(), set));
        }
        return set;
    }

    synchronized Optional<StoredFile> byId(String fileId) {
        return Optional.ofNullable(byId.get(fileId));
    }

    synchronized List<StoredFile> photoSet(String fileId) {
        return photoSets.getOrDefault(fileId, List.of());
    }

    synchronized Optional<StoredFile> byIssuedPath(String path) {
        return issuedPaths.contains(path) ? Optional.ofNullable(byPath.get(path)) : Optional.empty();
    }

    void issuePath(StoredFile file) {
        issuedPaths.add(file.filePath());
    }

    synchronized void clear() {
        byId.clear();
        byPath.clear();
        issuedPaths.clear();
        photoSets.clear();
    }

    private String randomId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String prefix(StoredFile.Kind kind) {
        return switch (kind) {
            case PHOTO -> "AgACAgIAAxkBAAI";
            case VIDEO -> "BAACAgIAAxkBAAI";
            case DOCUMENT -> "BQACAgIAAxkBAAI";
            case STICKER -> "CAACAgIAAxkBAAI";
            case VOICE -> "AwACAgIAAxkBAAI";
        };
    }

    private static String folder(StoredFile.Kind kind) {
        return switch (kind) {
            case PHOTO -> "photos";
            case VIDEO -> "videos";
            case DOCUMENT -> "documents";
            case STICKER -> "stickers";
            case VOICE -> "voice";
        };
    }

    private static String extension(StoredFile.Kind kind, String mimeType, String fileName) {
        if (fileName != null && fileName.lastIndexOf('.') > 0) {
            return fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase();
        }
        return switch (kind) {
            case PHOTO -> "jpg";
            case VIDEO -> "mp4";
            case STICKER -> "webp";
            case VOICE -> "oga";
            case DOCUMENT -> mimeType != null && mimeType.contains("/")
                    ? mimeType.substring(mimeType.indexOf('/') + 1)
                    : "bin";
        };
    }
}
