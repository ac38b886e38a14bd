package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.emulators.telegram.SampleMedia;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageBytesTest {

    @Test
    void jpegPngAndWebpAreKnownByTheirFirstBytes() {
        assertThat(ImageBytes.mimeType(head(SampleMedia.png(8, 8)))).contains("image/png");
        assertThat(ImageBytes.mimeType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10}))
                .contains("image/jpeg");
        assertThat(ImageBytes.mimeType("RIFF\u0024\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)))
                .contains("image/webp");
    }

    @Test
    void everythingElseIsNotAnImageTheRendererTakes() {
        assertThat(ImageBytes.mimeType("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageBytes.mimeType("GIF89a......".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageBytes.mimeType("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)))
                .as("a WAV is RIFF too")
                .isEmpty();
        assertThat(ImageBytes.mimeType(new byte[] {(byte) 0xFF, (byte) 0xD8}))
                .as("too short")
                .isEmpty();
        assertThat(ImageBytes.mimeType(new byte[0])).isEmpty();
        assertThat(ImageBytes.mimeType(null)).isEmpty();
    }

    private static byte[] head(byte[] file) {
        return Arrays.copyOf(file, ImageBytes.HEAD);
    }
}
