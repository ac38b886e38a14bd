package com.neurocards.emulators.kie;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The result videos: a real 2-second 9:16 H.264/AAC MP4 (resource {@code kie/sample-9x16.mp4}, made once with ffmpeg),
 * optionally padded to an exact size with a trailing top-level MP4 {@code free} box, which players skip, so a
 * 60 MB result is still a valid file. Padding is streamed, never held in memory.
 */
public final class Mp4Files {

    public static final String SAMPLE_RESOURCE = "/kie/sample-9x16.mp4";
    private static final int CHUNK = 64 * 1024;
    private static final Buffer ZEROS = Buffer.buffer(new byte[CHUNK]);
    private static final byte[] SAMPLE = load();

    private Mp4Files() {}

    /** The bytes of the sample video. */
    public static byte[] sample() {
        return SAMPLE.clone();
    }

    /** The size a result really has: the sample, or the requested size when it leaves room for a free box. */
    public static long effectiveSize(long requested) {
        return requested >= SAMPLE.length + 8L ? requested : SAMPLE.length;
    }

    /** Header of a {@code free} box spanning {@code boxSize} bytes (64-bit size form above 4 GiB). */
    static byte[] freeBoxHeader(long boxSize) {
        if (boxSize <= 0xFFFF_FFFFL) {
            return new byte[] {
                (byte) (boxSize >>> 24),
                (byte) (boxSize >>> 16),
                (byte) (boxSize >>> 8),
                (byte) boxSize,
                'f',
                'r',
                'e',
                'e'
            };
        }
        byte[] h = new byte[16];
        h[3] = 1;
        h[4] = 'f';
        h[5] = 'r';
        h[6] = 'e';
        h[7] = 'e';
        for (int i = 0; i < 8; i++) {
            h[8 + i] = (byte) (boxSize >>> (56 - 8 * i));
        }
        return h;
    }

    /** Writes the video padded to {@code requestedSize} (see {@link #effectiveSize}) and ends the response. */
    static void write(HttpServerResponse response, long requestedSize, boolean headOnly) {
        long size = effectiveSize(requestedSize);
        response.putHeader("Content-Type", "video/mp4")
                .putHeader("Content-Length", Long.toString(size))
                .putHeader("Accept-Ranges", "none");
        if (headOnly) {
            response.end();
            return;
        }
        response.write(Buffer.buffer(SAMPLE));
        long pad = size - SAMPLE.length;
        if (pad == 0) {
            response.end();
            return;
        }
        byte[] header = freeBoxHeader(pad);
        response.write(Buffer.buffer(header));
        writeZeros(response, pad - header.length);
    }

    private static void writeZeros(HttpServerResponse response, long remaining) {
        long left = remaining;
        while (left > 0 && !response.writeQueueFull()) {
            if (response.closed()) {
                return;
            }
            int n = (int) Math.min(CHUNK, left);
            response.write(n == CHUNK ? ZEROS : ZEROS.slice(0, n));
            left -= n;
        }
        if (left == 0) {
            response.end();
            return;
        }
        long rest = left;
        response.drainHandler(v -> writeZeros(response, rest));
    }

    private static byte[] load() {
        try (InputStream in = Mp4Files.class.getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SAMPLE_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
