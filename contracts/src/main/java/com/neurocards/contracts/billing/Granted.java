package com.neurocards.contracts.billing;

/** What a grant came to; {@code applied} is false when the key had been used already (the first result again). */
public record Granted(long userId, long balanceAfter, boolean applied) {}
