package com.neurocards.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configuration variables (the names of README.md#configuration, or any Quarkus property as an environment variable)
 * that an end-to-end class needs on top of {@link WholeSystemTest}'s, as {@code NAME=value}; they win over the
 * defaults.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface SystemConfiguration {
    String[] value();
}
