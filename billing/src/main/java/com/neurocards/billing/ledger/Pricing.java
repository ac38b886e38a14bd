package com.neurocards.billing.ledger;

import com.neurocards.billing.config.BillingConfig;
import com.neurocards.contracts.model.ModelPrices;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a request costs: videos × its model's price per video. Billing derives the price from the model the request
 * names, never from anything the request says it costs (docs/decisions/0018-model-prices.md); a model billing does
 * not price is not charged at all.
 */
@Startup // built at start: a model without a positive price stops billing there, not at the first request
@ApplicationScoped
public class Pricing {

    private final ModelPrices prices;
    private final int maxVideos;

    @Inject
    public Pricing(BillingConfig config) {
        this(config.modelPrices(), config.maxVideosPerRequest());
    }

    Pricing(Map<String, Long> modelPrices, int maxVideos) {
        this.prices = ModelPrices.of(modelPrices);
        this.maxVideos = maxVideos;
    }

    /** The price of one video of {@code model}, or empty when billing does not price that model. */
    public OptionalLong pricePerVideo(String model) {
        return prices.ofId(model);
    }

    /** The price of {@code count} videos, or empty when billing cannot price such a request. */
    public OptionalLong priceOf(String model, int count) {
        OptionalLong perVideo = pricePerVideo(model);
        if (count < 1 || count > maxVideos || perVideo.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.multiplyExact(perVideo.getAsLong(), (long) count));
    }
}
