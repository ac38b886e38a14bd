package com.neurocards.contracts.billing;

/**
 * An operator's grant, the body of {@code POST /internal/grants}: positive or negative credits, idempotent by the
 * caller's key. Boxed numbers, so billing can tell a missing field from a zero.
 */
public record GrantRequest(Long userId, Long amount, String reason, String idempotencyKey) {}
