package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * A Bot API call that did not succeed, read once for both services: Telegram's error code and description (or none,
 * when no answer came), and for a 429 the wait it asked for. Never holds the bot token, nor the telegrambots exception
 * it came from (whose message or cause may carry the call's URL, and the URL carries the token).
 */
public class TelegramFailure extends RuntimeException {

    private final String method;
    private final Integer errorCode;
    private final String description;
    private final Duration retryAfter;
    private final boolean mayHaveArrived;

    /** A failure read the usual way: one without an answer, or a 502/504, may have arrived ({@link #mayHaveArrived}). */
    public TelegramFailure(String method, Integer errorCode, String description, Duration retryAfter) {
        this(method, errorCode, description, retryAfter, errorCode == null || gatewayAnswer(errorCode));
    }

    public TelegramFailure(
            String method, Integer errorCode, String description, Duration retryAfter, boolean mayHaveArrived) {
        super(message(method, errorCode, description), null, false, false);
        this.method = method;
        this.errorCode = errorCode;
        this.description = description;
        this.retryAfter = retryAfter;
        this.mayHaveArrived = mayHaveArrived;
    }

    /**
     * Reads what telegrambots threw. A 429's wait is its {@code retry_after} in seconds (at least one second; one
     * second when Telegram named none).
     *
     * @param secrets removed from every text kept (the bot token)
     */
    public static TelegramFailure of(String method, TelegramApiException e, Iterable<String> secrets) {
        if (e instanceof TelegramApiRequestException refused && refused.getErrorCode() != null) {
            int code = refused.getErrorCode();
            Duration wait = null;
            if (code == 429) {
                Integer seconds = refused.getParameters() == null
                        ? null
                        : refused.getParameters().getRetryAfter();
                wait = Duration.ofSeconds(seconds == null ? 1 : Math.max(1, seconds));
            }
            return new TelegramFailure(
                    method, code, Redaction.redact(String.valueOf(refused.getApiResponse()), secrets), wait);
        }
        return new TelegramFailure(
                method, null, Redaction.redact(Redaction.describe(e), secrets), null, !neverConnected(e));
    }

    /** The connection was never made (refused, no route, unknown host, TLS handshake): no byte of the call was sent. */
    private static boolean neverConnected(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException
                    || cause instanceof SSLHandshakeException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** 502 and 504 come from the proxy in front of the Bot API: it passed the call on and lost the server's answer. */
    private static boolean gatewayAnswer(int code) {
        return code == 502 || code == 504;
    }

    private static String message(String method, Integer errorCode, String description) {
        return errorCode == null
                ? "Telegram " + method + " got no answer: " + description
                : "Telegram " + errorCode + " on " + method + ": " + description;
    }

    /** The Bot API method called ({@code sendMessage}, ...). */
    public String method() {
        return method;
    }

    /** Telegram's {@code error_code}; null when no answer came (connection refused, reset, timed out). */
    public Integer errorCode() {
        return errorCode;
    }

    /** Telegram's {@code description}, or what went wrong on the way; without the bot token. */
    public String description() {
        return description;
    }

    /** Whether Telegram answered at all. */
    public boolean answered() {
        return errorCode != null;
    }

    /**
     * Whether Telegram may have carried the call out although no success came back, so that calling again may do it
     * twice: no answer after a connection was made (a timeout, a connection dropped or reset while the call was
     * written or its answer awaited), or a 502 / 504 (the proxy in front of the Bot API passed the call on and lost
     * the server's answer). False when Telegram answered with any other error (it says what it did not do, 500 and 503
     * included) and when no connection was ever made (refused, no route, unknown host, TLS handshake).
     */
    public boolean mayHaveArrived() {
        return mayHaveArrived;
    }

    /** 429: the bot sends too fast; {@link #retryAfter()} says for how long to hold off. */
    public boolean rateLimited() {
        return is(429);
    }

    /** How long Telegram asked to wait (429 only), else null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** 403: the user blocked the bot (or the bot may not write to that chat). Trying again will not help. */
    public boolean blocked() {
        return is(403);
    }

    /** 413: the upload is larger than Telegram takes from a bot. */
    public boolean tooLarge() {
        return is(413);
    }

    /** Telegram's "message is not modified": an edit that changes nothing, harmless. */
    public boolean notModified() {
        return description != null && description.contains("message is not modified");
    }

    /** The message to edit is gone (deleted by the user). */
    public boolean messageGone() {
        return description != null
                && (description.contains("message to edit not found") || description.contains("MESSAGE_ID_INVALID"));
    }

    private boolean is(int code) {
        return errorCode != null && errorCode == code;
    }
}
