package com.neurocards.gateway.conversation;

import com.neurocards.contracts.model.ModelPrices;
import com.neurocards.contracts.model.VideoModel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The limits and prices the conversation applies; from configuration in the service, literal in unit tests.
 *
 * @param prices the price of one video of each model, as billing charges it (the same {@code MODEL_PRICE_*})
 * @param models the models the seller chooses from, the default first
 */
public record Rules(
        ModelPrices prices,
        List<VideoModel> models,
        List<Integer> counts,
        int descriptionMaxChars,
        int wishesMaxChars,
        int promptMaxChars,
        long photoMaxBytes,
        String aspectRatio) {

    /** What a product photo sent as a file may be: what the renderer's upload accepts. */
    public static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/webp");

    public Rules {
        models = List.copyOf(models);
        counts = List.copyOf(counts);
    }

    /** The prices of the defaults of MODEL_PRICE_*: Fast 1, Quality 3, Sora 2 2. */
    public static Rules defaults() {
        return new Rules(
                ModelPrices.of(Map.of("veo3_fast", 1L, "veo3", 3L, "sora-2-image-to-video", 2L)),
                List.of(VideoModel.values()),
                List.of(1, 3, 5),
                1000,
                1000,
                2000,
                20L * 1024 * 1024,
                "9:16");
    }

    /** The price of one video of {@code model}. */
    public long priceOf(VideoModel model) {
        return prices.of(model);
    }

    /** The lowest price of a video among the offered models: what the menu and the packs quote ("from …"). */
    public long cheapestPrice() {
        return models.stream().mapToLong(this::priceOf).min().orElseThrow();
    }

    /** What the draft costs: its count × its model's price. */
    public long costOf(Draft draft) {
        return draft.count() * priceOf(draft.modelOrDefault());
    }
}
