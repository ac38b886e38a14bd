package com.neurocards.gateway.payment;

import com.neurocards.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packs on sale ({@code neurocards.gateway.packs}: {@code id:credits:stars,...}). */
@ApplicationScoped
public class CreditPacks {

    /** Telegram Stars. */
    public static final String CURRENCY = "XTR";

    private static final Pattern ENTRY = Pattern.compile("([a-z0-9_]{1,16}):([1-9][0-9]{0,6}):([1-9][0-9]{0,6})");
    private static final Pattern PAYLOAD = Pattern.compile("pack:([a-z0-9_]{1,16}):([0-9]{1,7}):([0-9]{1,7})");

    private final List<CreditPack> packs;

    @Inject
    public CreditPacks(GatewayConfig config) {
        this(config.packs());
    }

    public CreditPacks(List<String> entries) {
        List<CreditPack> parsed = new ArrayList<>();
        for (String entry : entries) {
            Matcher m = ENTRY.matcher(entry.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("A credit pack is 'id:credits:stars', not '" + entry + "'");
            }
            parsed.add(new CreditPack(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        this.packs = List.copyOf(parsed);
    }

    public List<CreditPack> all() {
        return packs;
    }

    public Optional<CreditPack> byId(String id) {
        return packs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * The pack an invoice payload and an amount stand for, if they still match a pack on sale: what pre-checkout
     * accepts and a successful payment credits.
     */
    public Optional<CreditPack> matching(String payload, String currency, long totalAmount) {
        if (payload == null || !CURRENCY.equals(currency)) {
            return Optional.empty();
        }
        Matcher m = PAYLOAD.matcher(payload);
        if (!m.matches()) {
            return Optional.empty();
        }
        return byId(m.group(1))
                .filter(p -> p.credits() == Long.parseLong(m.group(2)) && p.stars() == Long.parseLong(m.group(3)))
                .filter(p -> p.stars() == totalAmount);
    }

    /** What a paid invoice promised, read from its payload even if the pack was withdrawn since. */
    public static Optional<CreditPack> fromPayload(String payload) {
        Matcher m = payload == null ? null : PAYLOAD.matcher(payload);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CreditPack(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }
}
