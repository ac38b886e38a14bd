package com.neurocards.emulators.telegram;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads what Telegram reads from media: image dimensions, MP4 dimensions and duration. */
final class MediaProbe {

    record VideoInfo(int width, int height, int durationSeconds) {}

    private MediaProbe() {}

    /** {width, height}, or null when the bytes are not an image ImageIO can read (PNG, JPEG, GIF, BMP). */
    static int[] imageSize(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A real downscaled JPEG, so a thumbnail file_id downloads as an image of its stated size. */
    static byte[] scaledJpeg(byte[] original, int width, int height) {
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(original));
            BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = target.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(source, 0, 0, width, height, null);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(target, "jpg", out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return original;
        }
    }

    /** Width, height and duration from the MP4 boxes (mvhd, tkhd); zeros when the bytes are not an MP4. */
    static VideoInfo mp4(byte[] bytes) {
        int width = 0;
        int height = 0;
        int duration = 0;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int limit = Math.min(bytes.length - 8, 64 * 1024 * 1024);
        for (int i = 4; i < limit; i++) {
            if (bytes[i] == 'm' && bytes[i + 1] == 'v' && bytes[i + 2] == 'h' && bytes[i + 3] == 'd' && duration == 0) {
                int version = bytes[i + 4];
                int p = i + 8 + (version == 1 ? 16 : 8);
                if (p + (version == 1 ? 12 : 8) <= bytes.length) {
                    long timescale = buf.getInt(p) & 0xffffffffL;
                    long units = version == 1 ? buf.getLong(p + 4) : buf.getInt(p + 4) & 0xffffffffL;
                    duration = timescale == 0 ? 0 : (int) Math.round((double) units / timescale);
                }
            } else if (bytes[i] == 't'
                    && bytes[i + 1] == 'k'
                    && bytes[i + 2] == 'h'
                    && bytes[i + 3] == 'd'
                    && width == 0) {
                int version = bytes[i + 4];
                // header, times, track id, reserved, duration, reserved, layer..volume, matrix (36 bytes), then w/h
                // 16.16
                int p = i + 8 + (version == 1 ? 32 : 20) + 8 + 8 + 36;
                if (p + 8 <= bytes.length) {
                    width = buf.getInt(p) >>> 16;
                    height = buf.getInt(p + 4) >>> 16;
                }
            }
            if (width != 0 && duration != 0) {
                break;
            }
        }
        return new VideoInfo(width, height, duration);
    }
}
