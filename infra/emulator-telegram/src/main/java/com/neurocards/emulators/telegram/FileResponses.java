package com.neurocards.emulators.telegram;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a stored file the way browsers expect to stream it: its content type, {@code Accept-Ranges: bytes}, and a
 * single byte range ({@code Range: bytes=a-b}, {@code a-}, {@code -n}) answered with 206 and {@code Content-Range},
 * so a {@code <video>} element can play and seek. An unsatisfiable range gets 416; several ranges, or a header
 * this does not understand, get the whole file (RFC 9110 allows ignoring Range). HEAD gets the headers only.
 */
final class FileResponses {

    private static final Pattern SINGLE_RANGE = Pattern.compile("^\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$");

    /** A byte range, both ends inclusive. */
    record Range(long start, long end) {
        long length() {
            return end - start + 1;
        }
    }

    private FileResponses() {}

    static void send(RoutingContext ctx, StoredFile file) {
        byte[] bytes = file.bytes();
        long size = bytes.length;
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", file.mimeType() == null ? "application/octet-stream" : file.mimeType())
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Access-Control-Allow-Origin", "*");
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        String header = ctx.request().getHeader("Range");
        Range range;
        try {
            range = header == null ? null : parse(header, size);
        } catch (IllegalArgumentException unsatisfiable) {
            response.setStatusCode(416)
                    .putHeader("Content-Range", "bytes */" + size)
                    .end();
            return;
        }
        if (range == null) {
            response.putHeader("Content-Length", Long.toString(size));
            if (head) {
                response.end();
            } else {
                response.end(Buffer.buffer(bytes));
            }
            return;
        }
        response.setStatusCode(206)
                .putHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size)
                .putHeader("Content-Length", Long.toString(range.length()));
        if (head) {
            response.end();
        } else {
            response.end(Buffer.buffer(bytes).getBuffer((int) range.start(), (int) range.end() + 1));
        }
    }

    /**
     * The range a {@code Range} header asks of a {@code size}-byte file; null to send the whole file (a header
     * not understood, or several ranges); {@link IllegalArgumentException} when the range is unsatisfiable.
     */
    static Range parse(String header, long size) {
        Matcher m = SINGLE_RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new IllegalArgumentException("unsatisfiable range " + header);
                }
                return new Range(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (start >= size || end < start) {
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                    return null; // syntactically invalid (last < first): ignored, as RFC 9110 says
                }
                throw new IllegalArgumentException("unsatisfiable range " + header);
            }
            return new Range(start, end);
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }
}
