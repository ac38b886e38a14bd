package com.neurocards.contracts.event;

/** Where added credits came from. */
public enum CreditSource {
    TOPUP,
    GRANT,
    WELCOME
}
