package com.neurocards.contracts;

/** A message whose {@code type} (or {@code version}) this build cannot read: poison, for the dead-letter queue. */
public final class UnknownEventTypeException extends MalformedEventException {
    public UnknownEventTypeException(String type) {
        super("Unknown event type '" + type + "'");
    }

    public UnknownEventTypeException(String type, int version) {
        super("Unsupported version " + version + " of event type '" + type + "'");
    }
}
