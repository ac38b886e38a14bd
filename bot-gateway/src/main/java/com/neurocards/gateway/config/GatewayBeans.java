package com.neurocards.gateway.config;

import com.neurocards.gateway.conversation.Conversation;
import com.neurocards.gateway.conversation.Rules;
import com.neurocards.gateway.conversation.Texts;
import com.neurocards.gateway.telegram.UpdateReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The plain-Java pieces, built from configuration. */
@ApplicationScoped
public class GatewayBeans {

    @Produces
    @Singleton
    Rules rules(GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        return new Rules(config.videoPriceCredits(), List.of(1, 3, 5), limits.descriptionMaxChars(),
                limits.wishesMaxChars(), limits.promptMaxChars(), limits.photoMaxBytes(), config.model(),
                config.aspectRatio());
    }

    @Produces
    @Singleton
    Conversation conversation(Rules rules) {
        return new Conversation(rules, () -> UUID.randomUUID().toString());
    }

    @Produces
    @Singleton
    Texts texts() {
        return new Texts();
    }

    @Produces
    @Singleton
    UpdateReader updateReader(GatewayConfig config) {
        return new UpdateReader(Set.copyOf(config.adminUserIds().orElse(List.of())));
    }
}
