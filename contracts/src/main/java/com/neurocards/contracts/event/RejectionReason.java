package com.neurocards.contracts.event;

/** Why billing did not fund a request. */
public enum RejectionReason {
    /** The balance does not cover the request. */
    INSUFFICIENT_CREDITS,
    /** The request itself is not one billing can price (no videos, too many, unknown model). */
    INVALID_REQUEST
}
