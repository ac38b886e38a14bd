package com.neurocards.messaging.health;

/**
 * An outside service a Quarkus service depends on (Telegram Bot API, KIE, the LLM): a CDI bean of this type is
 * probed periodically by {@link OutsideServiceProbes} and shown on {@code /q/health}. Its being down never makes the
 * service unready: restarting our pods would not bring KIE back.
 */
public interface OutsideService {

    /** Short name shown in health output: {@code telegram}, {@code kie}, {@code llm}. */
    String name();

    /**
     * One cheap call (e.g. {@code getMe}, a credit balance, a model list). Returns a short detail for operators; throws
     * when the service is unreachable or refuses us. Must never put a secret in the detail or the exception message.
     */
    String probe() throws Exception;
}
