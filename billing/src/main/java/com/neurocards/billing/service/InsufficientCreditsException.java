package com.neurocards.billing.service;

/** A change that would take a balance below zero. Nothing was changed. */
public class InsufficientCreditsException extends RuntimeException {
    public InsufficientCreditsException(long userId, long needed) {
        super("User " + userId + " has fewer than " + needed + " credits");
    }
}
