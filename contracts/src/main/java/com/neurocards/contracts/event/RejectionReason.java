package com.neurocards.contracts.event;

/** Why billing did not fund a request. */
public enum RejectionReason {
    INSUFFICIENT_CREDITS
}
