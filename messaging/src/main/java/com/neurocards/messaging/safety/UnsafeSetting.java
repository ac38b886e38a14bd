package com.neurocards.messaging.safety;

/**
 * One setting that makes a production start unsafe: the environment variable, what is wrong with it and what to set
 * instead. Never carries the value itself (it may be a secret).
 */
public record UnsafeSetting(String variable, String problem, String remedy) {

    /** The one line a refused start logs, e.g. {@code Refusing to start: BILLING_INTERNAL_TOKEN is empty: set ...}. */
    public String line() {
        return "Refusing to start: " + variable + " " + problem + ": " + remedy;
    }
}
