package com.neurocards.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An end-to-end class whose system runs on a three-node RabbitMQ cluster of its own ({@link LocalRabbitCluster}, by
 * {@code infra/local/cluster.sh}) instead of the local broker: started before the system, every service given all
 * three nodes ({@code RABBITMQ_ADDRESSES}), stopped and removed after it. Skipped where RabbitMQ is not installed on
 * the machine (the tests' broker is then a container).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface OnRabbitCluster {}
