package com.neurocards.contracts.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The price in credits of one video of each {@link VideoModel}, read by billing (which charges it) and by the gateway
 * (which shows it) from the same variables ({@code MODEL_PRICE_VEO3_FAST}, {@code MODEL_PRICE_VEO3},
 * {@code MODEL_PRICE_SORA2}; docs/decisions/0018-model-prices.md). Every model has a positive price, or the service
 * does not start.
 */
public final class ModelPrices {

    private final Map<VideoModel, Long> prices;

    private ModelPrices(Map<VideoModel, Long> prices) {
        this.prices = prices;
    }

    /**
     * @param byId price per KIE model name, as a service's configuration maps it ({@code ...model-prices.veo3=3})
     * @throws IllegalArgumentException when a model has no positive price
     */
    public static ModelPrices of(Map<String, Long> byId) {
        Map<VideoModel, Long> prices = new EnumMap<>(VideoModel.class);
        for (VideoModel model : VideoModel.values()) {
            Long price = byId.get(model.id());
            if (price == null || price <= 0) {
                throw new IllegalArgumentException("The price of a " + model.id() + " video must be set and positive"
                        + " (MODEL_PRICE_" + model.name() + "), not " + price);
            }
            prices.put(model, price);
        }
        return new ModelPrices(prices);
    }

    /** The price of one video of {@code model}. */
    public long of(VideoModel model) {
        return prices.get(model);
    }

    /**
     * The price of one video of the model KIE knows as {@code id}; a request that names none renders with
     * {@link VideoModel#DEFAULT}. Empty for a model that is not offered: nothing prices it.
     */
    public OptionalLong ofId(String id) {
        if (id == null || id.isBlank()) {
            return OptionalLong.of(of(VideoModel.DEFAULT));
        }
        return VideoModel.byId(id).map(m -> OptionalLong.of(of(m))).orElse(OptionalLong.empty());
    }
}
