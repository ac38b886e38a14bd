package com.neurocards.contracts;

/** A message body that is not a readable envelope. Never worth a retry: it goes to the dead-letter queue. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
