package com.neurocards.contracts;

/**
 * Callback data of the inline buttons one service sends and another handles: the pipeline puts them under a
 * delivered video, the gateway answers the press. Short (Telegram allows 64 bytes) and tied to the job, never to
 * anything the press alone would authorise: the gateway checks the job belongs to whoever pressed.
 */
public final class BotButtons {

    /** Back to the main menu. */
    public static final String MENU = "menu";
    /** Open the credit packs (e.g. under a "not enough credits" notice). */
    public static final String BUY_CREDITS = "buy";
    /** Prefix of "🔄 Make more with this product": {@code more:<jobId>}. */
    public static final String MAKE_MORE_PREFIX = "more:";

    private BotButtons() {}

    /** "🔄 Make more with this product" under the video of {@code jobId}. */
    public static String makeMore(String jobId) {
        return MAKE_MORE_PREFIX + jobId;
    }
}
