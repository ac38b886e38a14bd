package com.neurocards.contracts.billing;

/** The body of an internal-API refusal (400 bad request, 401 wrong token, 409 below zero). */
public record BillingError(String error) {}
