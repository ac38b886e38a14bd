package com.neurocards.contracts.billing;

/**
 * A user's credit balance, as {@code GET /internal/balances/{userId}} answers it. Reading never opens an account: a
 * user billing has not seen yet reads as {@code account = false} with the welcome credits a first order will open
 * the account with.
 */
public record Balance(long userId, long balance, boolean account) {}
