package com.neurocards.gateway.telegram;

/** The bot's numeric id: the number before ':' in its token (Telegram numbers updates per bot). */
public final class BotId {

    private BotId() {}

    /** The id in {@code token}; the message of the refusal never contains the token. */
    public static long of(String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        if (colon < 1 || colon > 19) {
            throw new IllegalArgumentException("TELEGRAM_BOT_TOKEN is not '<bot id>:<secret>'");
        }
        try {
            return Long.parseLong(token.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TELEGRAM_BOT_TOKEN does not start with the bot's numeric id");
        }
    }
}
