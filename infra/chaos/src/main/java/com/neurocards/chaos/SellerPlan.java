package com.neurocards.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One seller of the run: one request of {@code count} videos (1, 3 or 5) with a template, wishes or a prompt of their
 * own, and whether they first buy a credit pack.
 */
record SellerPlan(int index, long userId, String template, String wishesOrPrompt, int count, boolean buys) {

    static final String[] WISHES = {
        "-",
        "Побольше крупных планов, тёплый свет",
        "Без людей в кадре, только товар",
        "Динамичный монтаж, яркие цвета",
    };

    /**
     * Sellers whose requests add up to exactly {@code videos}: half ask for 1 video, 30 % for 3 and 20 % for 5 (the
     * last ones for what is left); templates UGC 40 %, AD 35 %, their own prompt 25 %.
     */
    static List<SellerPlan> mix(int videos, double buyerShare, long seed) {
        Random random = new Random(seed);
        List<SellerPlan> plans = new ArrayList<>();
        int left = videos;
        while (left > 0) {
            double r = random.nextDouble();
            int count = r < 0.5 ? 1 : r < 0.8 ? 3 : 5;
            while (count > left) {
                count -= 2;
            }
            double t = random.nextDouble();
            String template = t < 0.40 ? "UGC" : t < 0.75 ? "AD" : "SELF";
            int i = plans.size();
            String text = template.equals("SELF")
                    ? "Seller " + i + ": vertical close-up of the product on a sunny kitchen table, slow camera push-in"
                    : WISHES[random.nextInt(WISHES.length)];
            long userId = 3_000_000_000L + seed % 1000 * 1_000_000 + i;
            plans.add(new SellerPlan(i, userId, template, text, count, random.nextDouble() < buyerShare));
            left -= count;
        }
        return plans;
    }
}
