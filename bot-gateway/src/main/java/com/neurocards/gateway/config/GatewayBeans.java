package com.neurocards.gateway.config;

import com.neurocards.contracts.model.ModelPrices;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.gateway.conversation.Conversation;
import com.neurocards.gateway.conversation.Rules;
import com.neurocards.gateway.telegram.FloodGuard;
import com.neurocards.gateway.telegram.UpdateReader;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.telegram.SendPolicy;
import com.neurocards.telegram.SendThrottles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The plain-Java pieces, built from configuration. */
@ApplicationScoped
public class GatewayBeans {

    /** The bot's texts: {@code i18n/messages_ru.properties} (the default) and {@code i18n/messages_en.properties}. */
    public static final String TEXTS = "i18n.messages";

    /** Built at start: a model without a positive price ({@code MODEL_PRICE_*}) stops the gateway there. */
    @Produces
    @Singleton
    @Startup
    Rules rules(GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        return new Rules(
                ModelPrices.of(config.modelPrices()),
                List.of(VideoModel.values()),
                List.of(1, 3, 5),
                limits.descriptionMaxChars(),
                limits.wishesMaxChars(),
                limits.promptMaxChars(),
                limits.photoMaxBytes(),
                config.aspectRatio());
    }

    @Produces
    @Singleton
    Conversation conversation(Rules rules) {
        return new Conversation(rules, () -> UUID.randomUUID().toString());
    }

    @Produces
    @Singleton
    MessageBundle texts() {
        return new MessageBundle(TEXTS, GatewayBeans.class.getClassLoader());
    }

    /**
     * How the gateway waits for Telegram: its replies are spaced by the bot's spacing shared with every gateway and
     * pipeline instance (a slot reserved at most 2 s ahead, so a busy chat never holds the whole bot's spacing far
     * ahead); a user is looking at the chat, so a busy chat, or a 429 asking for up to 30 s, is waited out in place and
     * the reply sent (three calls at most); a longer wait gives the reply up (the state it followed is saved, the user
     * carries on from there).
     */
    @Produces
    @Singleton
    SendPolicy sendPolicy(SendThrottles throttles) {
        return SendPolicy.waitInPlace("gateway", throttles.throttle(Duration.ofSeconds(2)), 3, Duration.ofSeconds(30));
    }

    @Produces
    @Singleton
    FloodGuard floodGuard(GatewayConfig config) {
        GatewayConfig.Flood flood = config.flood();
        return new FloodGuard(flood.enabled(), flood.burst(), flood.perMinute(), System::nanoTime);
    }

    @Produces
    @Singleton
    UpdateReader updateReader(GatewayConfig config) {
        return new UpdateReader(Set.copyOf(config.adminUserIds().orElse(List.of())));
    }
}
