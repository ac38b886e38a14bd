package com.neurocards.emulators.kie;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files uploaded through the File Upload API, served back under {@code /files/<uploadPath>/<fileName>} until they
 * expire (3 days by default, docs/outside-services.md#kie-photo-upload). The same path overwrites, as on KIE.
 */
final class UploadedFiles {

    /** One stored file. */
    record StoredFile(
            String filePath, String fileName, byte[] bytes, String mimeType, Instant uploadedAt, Instant expiresAt) {}

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Duration retention;

    UploadedFiles(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    StoredFile store(String uploadPath, String fileName, byte[] bytes, String declaredType) {
        String name = cleanName(fileName);
        String mime = MediaTypes.guess(bytes, declaredType, name);
        if (name == null) {
            name = UUID.randomUUID() + MediaTypes.extensionFor(mime);
        }
        String folder = cleanFolder(uploadPath);
        String path = folder.isEmpty() ? name : folder + "/" + name;
        Instant now = clock.instant();
        StoredFile file = new StoredFile(path, name, bytes, mime, now, now.plus(retention));
        files.put(path, file);
        return file;
    }

    /** The file at {@code path}, or {@code null} when there is none or it has expired. */
    StoredFile get(String path) {
        StoredFile f = files.get(path);
        if (f == null || !clock.instant().isBefore(f.expiresAt())) {
            return null;
        }
        return f;
    }

    String downloadUrl(String baseUrl, StoredFile file) {
        StringBuilder sb = new StringBuilder(baseUrl).append("/files");
        for (String segment : file.filePath().split("/")) {
            sb.append('/')
                    .append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    void retention(Duration retention) {
        this.retention = retention;
    }

    void clear() {
        files.clear();
    }

    private static String cleanName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).trim();
        return n.isEmpty() || n.equals("..") || n.equals(".") ? null : n;
    }

    private static String cleanFolder(String uploadPath) {
        if (uploadPath == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : uploadPath.replace('\\', '/').split("/")) {
            String s = segment.trim();
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                continue;
            }
            if (sb.length() > 0) sb.append('/');
            sb.append(s);
        }
        return sb.toString();
    }
}
