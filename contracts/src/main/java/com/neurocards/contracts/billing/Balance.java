package com.neurocards.contracts.billing;

/** A user's credit balance, as {@code GET /internal/balances/{userId}} answers it. */
public record Balance(long userId, long balance) {}
