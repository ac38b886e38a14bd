package com.neurocards.emulators.telegram;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/**
 * Small real media for tests: the emulator checks images the way Telegram does (an unreadable "photo" is
 * IMAGE_PROCESS_FAILED), so tests need bytes that really are images and MP4s.
 */
public final class SampleMedia {

    private SampleMedia() {}

    /** A PNG of the given size. */
    public static byte[] png(int width, int height) {
        return image(width, height, "png");
    }

    /** A JPEG of the given size. */
    public static byte[] jpeg(int width, int height) {
        return image(width, height, "jpg");
    }

    /**
     * An MP4 skeleton (ftyp + moov with mvhd and one video tkhd) that states the given size and duration,
     * followed by {@code payloadBytes} of filler standing in for the media data.
     */
    public static byte[] mp4(int width, int height, int durationSeconds, int payloadBytes) {
        ByteBuffer ftyp = box(
                "ftyp",
                ByteBuffer.allocate(16)
                        .put("isom".getBytes())
                        .putInt(512)
                        .put("isommp41".getBytes())
                        .array());
        ByteBuffer mvhdBody = ByteBuffer.allocate(100);
        mvhdBody.putInt(0).putInt(0).putInt(0).putInt(1000).putInt(durationSeconds * 1000);
        ByteBuffer tkhdBody = ByteBuffer.allocate(84);
        tkhdBody.putInt(3)
                .putInt(0)
                .putInt(0)
                .putInt(1)
                .putInt(0)
                .putInt(durationSeconds * 1000)
                .putInt(0)
                .putInt(0)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 0);
        int[] matrix = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
        for (int m : matrix) {
            tkhdBody.putInt(m);
        }
        tkhdBody.putInt(width << 16).putInt(height << 16);
        ByteBuffer trak = box("trak", box("tkhd", tkhdBody.array()).array());
        byte[] moovBody = concat(box("mvhd", mvhdBody.array()).array(), trak.array());
        ByteBuffer moov = box("moov", moovBody);
        ByteBuffer mdat = box("mdat", new byte[payloadBytes]);
        return concat(concat(ftyp.array(), moov.array()), mdat.array());
    }

    private static ByteBuffer box(String type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.putInt(8 + body.length).put(type.getBytes()).put(body);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] image(int width, int height, String format) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
