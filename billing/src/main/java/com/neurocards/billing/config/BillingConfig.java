package com.neurocards.billing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What credits are worth ({@code WELCOME_CREDITS}, {@code MODEL_PRICE_*}; README.md#configuration). */
@ConfigMapping(prefix = "neurocards.billing")
public interface BillingConfig {

    /** Credits a new user starts with. */
    @WithDefault("3")
    long welcomeCredits();

    /**
     * Broker users whose {@code payment.received} is credited ({@code TRUSTED_PAYMENT_PUBLISHERS}); empty means the
     * gateway's user ({@code BrokerUser.GATEWAY}). The broker vouches for a message's {@code user_id}.
     */
    Optional<List<String>> trustedPaymentPublishers();

    /**
     * Price in credits of one video per model (KIE's model name), e.g. {@code neurocards.billing.model-prices.veo3=3};
     * every offered model must have one ({@code ModelPrices}).
     */
    Map<String, Long> modelPrices();

    /** The most videos one request may ask for. */
    @WithDefault("10")
    int maxVideosPerRequest();

    /** A shared secret the {@code /internal} API requires in {@code X-Internal-Token}, when set. */
    Optional<String> internalToken();

    RefundBackstop refundBackstop();

    /**
     * The backstop under the pipeline's own sweep: a funded job neither delivered nor refunded this long after it was
     * funded is refunded by billing (docs/architecture.md#every-funded-job-ends).
     */
    interface RefundBackstop {
        /**
         * How long after funding a job that was neither delivered nor refunded is refunded: well past the pipeline's
         * {@code neurocards.pipeline.job-deadline} (60 min) plus its {@code sweep.job-grace} (10 min), so the
         * pipeline's own sweep normally ends the job first.
         */
        @WithDefault("2h")
        Duration after();

        /** How often every billing instance looks. */
        @WithDefault("5m")
        Duration interval();

        /** Jobs refunded per transaction. */
        @WithDefault("100")
        int batchSize();
    }
}
