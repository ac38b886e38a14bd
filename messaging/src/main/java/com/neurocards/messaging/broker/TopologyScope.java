package com.neurocards.messaging.broker;

/** How much of the topology a service declares at start-up ({@code neurocards.messaging.broker.declare-topology}). */
public enum TopologyScope {
    /**
     * Everything in {@code contracts}: for a broker user with rights on every queue (a developer's {@code guest}, the
     * tests' in-process applications), so nothing is ever unroutable however few services run.
     */
    ALL,
    /**
     * The shared exchanges, the delay tiers and the queues this service consumes: all its own broker user may
     * configure (docs/decisions/0011-broker-users.md). The other services' queues come from the broker definitions
     * ({@code infra/rabbitmq/definitions.json}, imported by {@code infra/local/up.sh} and {@code run.sh}) or from
     * those services.
     */
    OWN,
    /** Nothing: the broker was provisioned from the definitions. */
    NONE
}
