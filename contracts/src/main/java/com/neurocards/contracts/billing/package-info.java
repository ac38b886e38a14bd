/**
 * The bodies of billing's internal HTTP API ({@code /internal/*}). Billing's resource answers with these records and
 * the gateway's REST client reads them, so the two sides cannot drift apart.
 */
package com.neurocards.contracts.billing;
