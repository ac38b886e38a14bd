package com.neurocards.messaging.safety;

import com.neurocards.messaging.MessagingConfig;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's default user {@code guest} may configure, read and write everything in its vhost: a service using it
 * could publish {@code payment.received} as anyone. Each service has its own user (docs/security.md).
 */
@Singleton
public class BrokerSafety implements SafetyRule {

    private final MessagingConfig config;

    BrokerSafety(MessagingConfig config) {
        this.config = config;
    }

    @Override
    public List<UnsafeSetting> check() {
        List<UnsafeSetting> findings = new ArrayList<>();
        MessagingConfig.Broker broker = config.broker();
        if ("guest".equals(broker.username())) {
            findings.add(new UnsafeSetting(
                    "RABBITMQ_USER",
                    "is guest, the broker's all-powerful default user",
                    "set this service's own broker user and its RABBITMQ_PASSWORD (docs/security.md#broker-users)"));
        }
        if (broker.password().isBlank() || "guest".equals(broker.password())) {
            findings.add(new UnsafeSetting(
                    "RABBITMQ_PASSWORD",
                    "is empty or the default",
                    "set the password of this service's broker user (docs/security.md#broker-users)"));
        }
        return findings;
    }
}
