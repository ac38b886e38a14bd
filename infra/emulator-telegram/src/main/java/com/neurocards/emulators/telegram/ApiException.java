package com.neurocards.emulators.telegram;

/** Carries a {@link BotApiError} out of a method handler; no stack trace, it is an answer, not a bug. */
final class ApiException extends RuntimeException {

    private final BotApiError error;

    ApiException(BotApiError error) {
        super(error.description(), null, false, false);
        this.error = error;
    }

    BotApiError error() {
        return error;
    }

    static ApiException badRequest(String detail) {
        return BotApiError.badRequest(detail).exception();
    }
}
