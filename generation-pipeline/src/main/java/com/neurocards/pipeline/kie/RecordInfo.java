package com.neurocards.pipeline.kie;

import java.util.List;

/**
 * A task as KIE's poll shows it, in Veo's terms (docs/outside-services.md#kie-record-info): Veo's record-info as it
 * is, Market's recordInfo translated by {@link #ofMarket}.
 *
 * @param successFlag 0 generating, 1 success, 2 failed, 3 generation failed; {@link #UNKNOWN} for a state no rule
 *     knows (the poll fails fast)
 */
public record RecordInfo(
        String taskId,
        int successFlag,
        List<String> resultUrls,
        String resolution,
        Integer errorCode,
        String errorMessage) {

    public static final int GENERATING = 0;
    public static final int SUCCESS = 1;
    public static final int FAILED = 2;
    public static final int GENERATION_FAILED = 3;
    public static final int UNKNOWN = -1;

    public RecordInfo {
        resultUrls = resultUrls == null ? List.of() : List.copyOf(resultUrls);
    }

    /**
     * A Market task (docs/outside-services.md#kie-market-tasks): {@code waiting}, {@code queuing} and
     * {@code generating} are still rendering; {@code success} carries the URLs of {@code resultJson}; {@code fail}
     * carries {@code failCode} (a string, read as a number when it is one) and {@code failMsg}.
     */
    public static RecordInfo ofMarket(
            String taskId, String state, List<String> resultUrls, String failCode, String failMessage) {
        String s = state == null ? "" : state.trim().toLowerCase(java.util.Locale.ROOT);
        int flag =
                switch (s) {
                    case "waiting", "queuing", "queueing", "generating" -> GENERATING;
                    case "success" -> SUCCESS;
                    case "fail" -> FAILED;
                    default -> UNKNOWN;
                };
        Integer code;
        try {
            code = failCode == null || failCode.isBlank() ? null : Integer.valueOf(failCode.trim());
        } catch (NumberFormatException e) {
            code = null;
        }
        String message = failMessage;
        if (code == null && failCode != null && !failCode.isBlank()) {
            // a code that is not a number still says something: keep it for the classifier and the logs
            message = failCode + ": " + (failMessage == null ? "" : failMessage);
        }
        return new RecordInfo(taskId, flag, flag == SUCCESS ? resultUrls : List.of(), null, code, message);
    }
}
