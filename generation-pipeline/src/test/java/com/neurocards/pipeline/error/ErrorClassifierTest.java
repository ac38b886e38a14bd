package com.neurocards.pipeline.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of docs/outside-services.md#kie-error-codes and #kie-message-texts (envelope codes, task failures,
 * message texts), Telegram errors and LLM answers.
 */
class ErrorClassifierTest {

    @ParameterizedTest(name = "{0} {1} \"{2}\" -> {3}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            # docs/outside-services.md#kie-error-codes — envelope code on a given endpoint, with the message KIE sends
            HD_VIDEO    | 400 | 1080P is processing. It should be ready in 1-2 minutes                            | TEMPORARY
            RECORD_INFO | 400 | Your prompt was flagged by Website as violating content policies.                 | USER
            CREATE      | 400 | Invalid request parameters                                                        | USER
            CREATE      | 401 | You do not have access permissions                                                | AUTH
            CREATE      | 402 | The current credits are insufficient. Please top up.                              | BILLING
            CREATE      | 404 | The requested resource does not exist                                             | UNKNOWN
            CREATE      | 405 | rate limit exceeded                                                               | RATE_LIMIT
            CREATE      | 413 | prompt too long                                                                   | USER
            CREATE      | 422 | Your request was rejected by Flow(The prompt may violate the content policy).    | USER
            RECORD_INFO | 422 | record is null                                                                    | UNKNOWN
            RECORD_INFO | 422 | recordInfo is null                                                                | UNKNOWN
            HD_VIDEO    | 422 | 4k is processing                                                                  | TEMPORARY
            CREATE      | 422 | Validation failed: 不能为空                                                         | UNKNOWN
            CREATE      | 422 | The page does not exist or is not published                                       | UNKNOWN
            CREATE      | 429 | Rate limit exceeded: too many new generation requests                             | RATE_LIMIT
            CREATE      | 430 | call frequency is too high                                                        | RATE_LIMIT
            CREATE      | 433 | Sub-key usage exceeds limit                                                       | BILLING
            RECORD_INFO | 451 | Failed to fetch the image.                                                        | USER
            CREATE      | 455 | The server is currently being maintained, please try again later.                 | TEMPORARY
            CREATE      | 500 | Internal Error, Please try again later.                                           | TEMPORARY
            CREATE      | 500 | Timeout                                                                           | TEMPORARY
            CREATE      | 500 | This field is required                                                            | TEMPORARY
            CREATE      | 501 | Video generation failed, please try again later.                                  | TEMPORARY
            CREATE      | 501 | flagged as unsafe image                                                           | USER
            CREATE      | 505 | This feature is currently disabled.                                               | UNKNOWN
            # message text breaks ties for codes outside the table
            CREATE      | 503 | service unavailable                                                               | TEMPORARY
            CREATE      | 418 | Insufficient credits                                                              | BILLING
            """)
    void kieEnvelopeCodes(KieCall call, int code, String msg, ErrorClass expected) {
        Classification c = ErrorClassifier.kieEnvelope(call, code, msg);
        assertThat(c.errorClass()).isEqualTo(expected);
        assertThat(c.providerCode()).isEqualTo(code);
    }

    @ParameterizedTest(name = "task {0} \"{1}\" -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            textBlock =
                    """
            # docs/outside-services.md#kie-error-codes — successFlag 2/3 with errorCode and errorMessage (Market: failCode/failMsg)
            400  | Your prompt was flagged by Website as violating content policies.                  | USER
            400  | Failed to fetch the image. Please make sure the image URL is publicly accessible.  | USER
            400  | The image you uploaded was flagged as an unsafe image (content policy).            | USER
            400  | Only English prompts are supported at this time.                                   | USER
            500  | Internal Error, Please try again later.                                            | TEMPORARY
            500  | Timeout                                                                            | TEMPORARY
            501  | Video generation failed, please try again later.                                   | TEMPORARY
            501  | public error prominent people upload                                               | USER
            422  | Your request was rejected by Flow(The prompt may violate the content policy).     | USER
            # docs/outside-services.md#kie-message-texts — message substrings when there is no code
            null | public error minor upload                                                          | USER
            null | inappropriate content detected                                                     | USER
            null | sensitive content                                                                  | USER
            null | safety system                                                                      | USER
            null | the input cannot be null                                                           | USER
            null | Image size exceeds the limit                                                       | USER
            null | The server is under maintenance                                                    | TEMPORARY
            null | service unavailable                                                                | TEMPORARY
            null | The current credits are insufficient. Please top up.                               | BILLING
            null | something nobody documented                                                        | UNKNOWN
            """)
    void kieTaskFailures(Integer errorCode, String message, ErrorClass expected) {
        assertThat(ErrorClassifier.kieTaskFailure(errorCode, message).errorClass())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "401, AUTH",
        "402, BILLING",
        "403, AUTH",
        "404, UNKNOWN",
        "429, RATE_LIMIT",
        "500, TEMPORARY",
        "502, TEMPORARY",
        "503, TEMPORARY",
        "504, TEMPORARY"
    })
    void kieHttpStatuses(int status, ErrorClass expected) {
        assertThat(ErrorClassifier.kieHttp(status).errorClass()).isEqualTo(expected);
    }

    @Test
    void aKieRateLimitWaitsOutAFullWindow() {
        assertThat(ErrorClassifier.kieEnvelope(KieCall.CREATE, 429, "too many").retryAfter())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownOrOldTaskIsRecognisedAsOrphaned() {
        assertThat(ErrorClassifier.isOrphanedTask(422, "record is null")).isTrue();
        assertThat(ErrorClassifier.isOrphanedTask(422, "Temporarily supports records within 14 days"))
                .isTrue();
        assertThat(ErrorClassifier.isOrphanedTask(422, "rejected by Flow")).isFalse();
        assertThat(ErrorClassifier.isOrphanedTask(500, "record is null")).isFalse();
    }

    @ParameterizedTest(name = "Telegram {0} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            textBlock =
                    """
            429 | 7    | RATE_LIMIT
            403 | null | USER
            401 | null | AUTH
            404 | null | AUTH
            400 | null | UNKNOWN
            413 | null | USER
            500 | null | TEMPORARY
            502 | null | TEMPORARY
            """)
    void telegramErrors(int code, Integer retryAfter, ErrorClass expected) {
        Classification c = ErrorClassifier.telegram(code, "description", retryAfter);
        assertThat(c.errorClass()).isEqualTo(expected);
        if (code == 429) {
            assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        }
    }

    @ParameterizedTest(name = "LLM {0} -> {1}")
    @CsvSource({
        "401, AUTH",
        "403, AUTH",
        "429, RATE_LIMIT",
        "500, TEMPORARY",
        "503, TEMPORARY",
        "400, UNKNOWN",
        "404, UNKNOWN"
    })
    void llmStatuses(int status, ErrorClass expected) {
        assertThat(ErrorClassifier.llmHttp(status, null).errorClass()).isEqualTo(expected);
    }

    @Test
    void reasonsNeverCarrySecrets() {
        Classification c = ErrorClassifier.kieEnvelope(
                KieCall.CREATE,
                500,
                "failed fetching https://api.telegram.org/file/bot123456:ABCDEFGHIJKLMNOP/photos/1.jpg");
        assertThat(c.reason()).doesNotContain("123456:ABCDEFGHIJKLMNOP");
    }
}
