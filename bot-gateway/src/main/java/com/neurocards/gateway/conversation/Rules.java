package com.neurocards.gateway.conversation;

import java.util.List;
import java.util.Set;

/** The limits and prices the conversation applies; from configuration in the service, literal in unit tests. */
public record Rules(
        int pricePerVideo,
        List<Integer> counts,
        int descriptionMaxChars,
        int wishesMaxChars,
        int promptMaxChars,
        long photoMaxBytes,
        String model,
        String aspectRatio) {

    /** What a product photo sent as a file may be: what the renderer's upload accepts. */
    public static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/webp");

    public Rules {
        counts = List.copyOf(counts);
    }

    public static Rules defaults() {
        return new Rules(1, List.of(1, 3, 5), 1000, 1000, 2000, 20L * 1024 * 1024, "veo3_fast", "9:16");
    }
}
