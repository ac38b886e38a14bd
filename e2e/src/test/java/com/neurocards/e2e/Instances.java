package com.neurocards.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many processes of each service an end-to-end class runs side by side on the one broker vhost and database
 * (one of each when absent). Every instance gets the same configuration and its own port and log file.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Instances {
    int gateways() default 1;

    int pipelines() default 1;

    int billings() default 1;
}
