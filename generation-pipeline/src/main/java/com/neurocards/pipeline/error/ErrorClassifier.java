package com.neurocards.pipeline.error;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one place that says what a KIE, Telegram or LLM answer means, in the system's error classes
 * (docs/architecture.md#error-classes). KIE rules follow docs/outside-services.md#kie-error-codes: the envelope code
 * first, then the message text as tie-breaker (#kie-message-texts).
 */
public final class ErrorClassifier {

    /** KIE drops a create over its rate limit; a full window has to pass (docs/outside-services.md#kie-rate-limit). */
    public static final Duration KIE_RATE_WINDOW = Duration.ofSeconds(10);

    private static final List<String> CONTENT_POLICY = List.of(
            "flagged",
            "violating content policies",
            "content policy",
            "unsafe image",
            "public error minor upload",
            "public error prominent people upload",
            "rejected by flow",
            "inappropriate content",
            "sensitive",
            "safety",
            "only english prompts");
    private static final List<String> BAD_INPUT =
            List.of("failed to fetch the image", "the input cannot be null", "不能为空");
    private static final List<String> TEMPORARY_TEXT = List.of(
            "internal error", "please try again later", "timeout", "maintain", "maintenance", "service unavailable");
    private static final List<String> BILLING_TEXT =
            List.of("credits are insufficient", "top up", "insufficient credits");
    private static final List<String> STILL_PROCESSING = List.of("is processing");
    private static final List<String> ORPHANED =
            List.of("record is null", "recordinfo is null", "record does not exist", "records within 14 days");

    private ErrorClassifier() {}

    // ---- KIE -------------------------------------------------------------------------------------------------------

    /** A KIE envelope {@code {code, msg}} with {@code code != 200} (usually delivered with HTTP 200). */
    public static Classification kieEnvelope(KieCall call, int code, String msg) {
        String text = lower(msg);
        String reason = "KIE " + code + ": " + clip(msg);
        ErrorClass errorClass =
                switch (code) {
                    case 400 -> call == KieCall.HD_VIDEO || matches(text, STILL_PROCESSING)
                            ? ErrorClass.TEMPORARY
                            : ErrorClass.USER;
                    case 401 -> ErrorClass.AUTH;
                    case 402, 433 -> ErrorClass.BILLING;
                    case 404, 505 -> ErrorClass.UNKNOWN;
                    case 405, 429, 430 -> ErrorClass.RATE_LIMIT;
                    case 413, 451 -> ErrorClass.USER;
                    case 422 -> kie422(text);
                    case 455 -> ErrorClass.TEMPORARY;
                    case 500 -> matches(text, BILLING_TEXT)
                            ? ErrorClass.BILLING
                            : matches(text, CONTENT_POLICY) ? ErrorClass.USER : ErrorClass.TEMPORARY;
                    case 501 -> matches(text, CONTENT_POLICY) ? ErrorClass.USER : ErrorClass.TEMPORARY;
                    default -> byText(text, code >= 500 ? ErrorClass.TEMPORARY : ErrorClass.UNKNOWN);
                };
        Duration wait = errorClass == ErrorClass.RATE_LIMIT ? KIE_RATE_WINDOW : null;
        return new Classification(errorClass, code, reason, wait);
    }

    private static ErrorClass kie422(String text) {
        if (matches(text, CONTENT_POLICY)) {
            return ErrorClass.USER; // "rejected by Flow(...)"
        }
        if (matches(text, STILL_PROCESSING)) {
            return ErrorClass.TEMPORARY; // "4k is processing"
        }
        return ErrorClass
                .UNKNOWN; // record is null (orphaned task), parameter errors, model not published: a bug or config
    }

    /** Whether a 422 says the task is unknown to KIE (orphaned, or older than 14 days): polling it again is pointless. */
    public static boolean isOrphanedTask(int code, String msg) {
        return code == 422 && matches(lower(msg), ORPHANED);
    }

    /** A task that failed after it was created: Veo {@code successFlag} 2/3 or Market {@code state=fail}. */
    public static Classification kieTaskFailure(Integer errorCode, String errorMessage) {
        String text = lower(errorMessage);
        String reason =
                "KIE task failed" + (errorCode == null ? "" : " (" + errorCode + ")") + ": " + clip(errorMessage);
        ErrorClass errorClass;
        if (matches(text, CONTENT_POLICY) || matches(text, BAD_INPUT) || isImageSize(text)) {
            errorClass = ErrorClass.USER;
        } else if (errorCode == null) {
            errorClass = byText(text, ErrorClass.UNKNOWN);
        } else {
            errorClass = switch (errorCode) {
                case 400, 413, 451 -> ErrorClass.USER;
                case 422 -> kie422(text);
                case 500, 501, 455 -> ErrorClass.TEMPORARY;
                case 402, 433 -> ErrorClass.BILLING;
                default -> byText(text, errorCode >= 500 ? ErrorClass.TEMPORARY : ErrorClass.UNKNOWN);
            };
        }
        return new Classification(errorClass, errorCode, reason);
    }

    /** A real HTTP error status from KIE or a proxy in front of it (the body is usually not an envelope). */
    public static Classification kieHttp(int status) {
        ErrorClass errorClass =
                switch (status) {
                    case 401 -> ErrorClass.AUTH;
                    case 402 -> ErrorClass.BILLING;
                    case 403 -> ErrorClass.AUTH; // also Cloudflare's "error code: 1010" without a browser User-Agent
                    case 408, 425, 502, 503, 504 -> ErrorClass.TEMPORARY;
                    case 429 -> ErrorClass.RATE_LIMIT;
                    default -> status >= 500 ? ErrorClass.TEMPORARY : ErrorClass.UNKNOWN;
                };
        return new Classification(
                errorClass,
                status,
                "KIE answered HTTP " + status,
                errorClass == ErrorClass.RATE_LIMIT ? KIE_RATE_WINDOW : null);
    }

    // ---- Telegram --------------------------------------------------------------------------------------------------

    /** A Bot API error ({@code ok:false}). 403 is the user blocking the bot: the callers treat it as undeliverable. */
    public static Classification telegram(int errorCode, String description, Integer retryAfterSeconds) {
        String reason = "Telegram " + errorCode + ": " + clip(description);
        ErrorClass errorClass =
                switch (errorCode) {
                    case 429 -> ErrorClass.RATE_LIMIT;
                    case 401, 404 -> ErrorClass.AUTH; // a wrong token answers 401 or 404
                    case 403 -> ErrorClass.USER;
                    case 413 -> ErrorClass.USER;
                    default -> errorCode >= 500 ? ErrorClass.TEMPORARY : ErrorClass.UNKNOWN;
                };
        Duration wait = errorClass == ErrorClass.RATE_LIMIT
                ? Duration.ofSeconds(retryAfterSeconds == null ? 1 : Math.max(1, retryAfterSeconds))
                : null;
        return new Classification(errorClass, errorCode, reason, wait);
    }

    // ---- LLM -------------------------------------------------------------------------------------------------------

    /** An OpenAI-compatible endpoint's HTTP status. */
    public static Classification llmHttp(int status, Duration retryAfter) {
        ErrorClass errorClass =
                switch (status) {
                    case 401, 403 -> ErrorClass.AUTH;
                    case 402 -> ErrorClass.BILLING;
                    case 408, 409 -> ErrorClass.TEMPORARY;
                    case 429 -> ErrorClass.RATE_LIMIT;
                    default -> status >= 500 ? ErrorClass.TEMPORARY : ErrorClass.UNKNOWN;
                };
        return new Classification(errorClass, status, "LLM answered HTTP " + status, retryAfter);
    }

    /** The LLM answered, but not with what was asked (invalid JSON, wrong schema, refusal, truncation). */
    public static Classification llmOutput(String what) {
        return new Classification(ErrorClass.TEMPORARY, null, "LLM output unusable: " + clip(what));
    }

    // ---- transport -------------------------------------------------------------------------------------------------

    /** No answer at all (connection refused, reset, timed out): worth another try. */
    public static Classification network(String provider, Throwable failure) {
        return new Classification(
                ErrorClass.TEMPORARY, null, provider + " unreachable: " + Redaction.describe(failure));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static ErrorClass byText(String text, ErrorClass fallback) {
        if (matches(text, CONTENT_POLICY) || matches(text, BAD_INPUT) || isImageSize(text)) {
            return ErrorClass.USER;
        }
        if (matches(text, BILLING_TEXT)) {
            return ErrorClass.BILLING;
        }
        if (matches(text, TEMPORARY_TEXT)) {
            return ErrorClass.TEMPORARY;
        }
        return fallback;
    }

    /**
     * "image" + "size" (docs/outside-services.md#kie-message-texts): the photo is too big or too small for the model.
     */
    private static boolean isImageSize(String text) {
        return text.contains("image") && text.contains("size");
    }

    private static boolean matches(String text, List<String> patterns) {
        for (String p : patterns) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** Provider text, one line, secrets removed, short enough for a header or an event. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        String line = Redaction.redact(s.replaceAll("\\s+", " ").trim());
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
