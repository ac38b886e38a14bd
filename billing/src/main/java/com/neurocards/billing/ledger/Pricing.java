package com.neurocards.billing.ledger;

import com.neurocards.billing.config.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.OptionalLong;

/** What a request costs: videos × the model's price per video. */
@ApplicationScoped
public class Pricing {

    private final long defaultPrice;
    private final Map<String, Long> modelPrices;
    private final int maxVideos;

    @Inject
    public Pricing(BillingConfig config) {
        this(config.videoPrice(), config.modelPrices(), config.maxVideosPerRequest());
    }

    Pricing(long defaultPrice, Map<String, Long> modelPrices, int maxVideos) {
        if (defaultPrice <= 0) {
            throw new IllegalArgumentException("The price of a video must be positive, not " + defaultPrice);
        }
        this.defaultPrice = defaultPrice;
        this.modelPrices = Map.copyOf(modelPrices);
        this.maxVideos = maxVideos;
    }

    /** The price of one video of {@code model}. */
    public long pricePerVideo(String model) {
        Long price = model == null ? null : modelPrices.get(model);
        return price != null && price > 0 ? price : defaultPrice;
    }

    /** The price of {@code count} videos, or empty when billing cannot price such a request. */
    public OptionalLong priceOf(String model, int count) {
        if (count < 1 || count > maxVideos) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.multiplyExact(pricePerVideo(model), (long) count));
    }
}
