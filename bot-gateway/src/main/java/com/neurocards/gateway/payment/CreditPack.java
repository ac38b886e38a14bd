package com.neurocards.gateway.payment;

/** A pack of credits sold for Telegram Stars. */
public record CreditPack(String id, long credits, long stars) {

    /**
     * The invoice payload: names the pack and the credits the user agreed to, so a pack changed in configuration
     * between invoice and payment is caught at pre-checkout instead of crediting something else.
     */
    public String payload() {
        return "pack:" + id + ":" + credits + ":" + stars;
    }
}
