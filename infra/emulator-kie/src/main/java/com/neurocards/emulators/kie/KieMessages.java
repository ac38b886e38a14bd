package com.neurocards.emulators.kie;

/**
 * The texts KIE puts in {@code msg}, {@code errorMessage} and {@code failMsg}, in KIE's own wording
 * (docs/outside-services.md#kie-envelope, #kie-error-codes, #kie-message-texts). Clients classify errors by these
 * substrings, so the emulator must use the documented wording, not its own.
 */
public final class KieMessages {

    public static final String SUCCESS = "success";
    public static final String UNAUTHORIZED = "You do not have access permissions";
    public static final String BAD_REQUEST = "Invalid request parameters";
    public static final String INSUFFICIENT_CREDITS = "The current credits are insufficient. Please top up.";
    public static final String NOT_FOUND = "The requested resource does not exist";
    /** 422 for a model the key may not use (docs/outside-services.md#kie-error-codes). */
    public static final String MODEL_NOT_PUBLISHED = "The page does not exist or is not published";

    public static final String MUST_NOT_BE_EMPTY = "不能为空";
    public static final String FIELD_REQUIRED = "This field is required";
    public static final String RATE_LIMITED =
            "Rate limit exceeded: too many new generation requests, at most %d per %d seconds. Please try again later.";
    public static final String SUB_KEY_LIMIT = "Sub-key usage exceeds limit";
    public static final String IMAGE_FETCH_FAILED =
            "Failed to fetch the image. Please make sure the image URL is publicly accessible and points to a valid image.";
    public static final String MAINTENANCE = "The server is currently being maintained, please try again later.";
    public static final String INTERNAL_ERROR = "Internal Error, Please try again later.";
    public static final String GENERATION_FAILED = "Video generation failed, please try again later.";
    public static final String FEATURE_DISABLED = "This feature is currently disabled.";

    public static final String RECORD_IS_NULL = "record is null";
    public static final String MARKET_RECORD_IS_NULL = "recordInfo is null";
    public static final String WRONG_FAMILY = "The record does not exist";
    public static final String RECORD_TOO_OLD = "Temporarily supports records within 14 days";
    public static final String RECORD_NOT_SUCCESS = "record status is not success";
    public static final String HD_PROCESSING = "1080P is processing. It should be ready in 1-2 minutes";

    public static final String VEO_CALLBACK_SUCCESS = "Veo3.1 video generated successfully.";

    // Asynchronous (task-level) failure texts (docs/outside-services.md#kie-message-texts).
    public static final String FLAGGED_PROMPT = "Your prompt was flagged by Website as violating content policies.";
    public static final String UNSAFE_IMAGE = "The image you uploaded was flagged as an unsafe image (content policy).";
    public static final String MINOR = "public error minor upload";
    public static final String PROMINENT_PEOPLE = "public error prominent people upload";
    public static final String ENGLISH_ONLY = "Only English prompts are supported at this time.";
    public static final String REJECTED_BY_FLOW =
            "Your request was rejected by Flow(The prompt may violate the content policy). Please modify your prompt and try again.";
    public static final String TIMEOUT = "Timeout";

    private KieMessages() {}

    /** The default {@code msg} for an envelope error code (docs/outside-services.md#kie-error-codes). */
    public static String forCode(int code) {
        return switch (code) {
            case 200 -> SUCCESS;
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 402 -> INSUFFICIENT_CREDITS;
            case 404 -> NOT_FOUND;
            case 422 -> "Validation failed: " + MUST_NOT_BE_EMPTY;
            case 429 -> String.format(RATE_LIMITED, 20, 10);
            case 433 -> SUB_KEY_LIMIT;
            case 451 -> IMAGE_FETCH_FAILED;
            case 455 -> MAINTENANCE;
            case 500 -> INTERNAL_ERROR;
            case 501 -> GENERATION_FAILED;
            case 505 -> FEATURE_DISABLED;
            default -> "Error " + code;
        };
    }
}
