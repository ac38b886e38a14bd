package com.neurocards.pipeline.kie;

import com.neurocards.pipeline.error.KieCall;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which KIE call a REST client method is, for {@link KieExceptionMapper}: the same code can mean different things on
 * different endpoints.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KieEndpoint {
    KieCall value();
}
