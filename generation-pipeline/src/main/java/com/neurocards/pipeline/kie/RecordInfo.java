package com.neurocards.pipeline.kie;

import java.util.List;

/**
 * A Veo task as {@code record-info} shows it (docs/outside-services.md#kie-record-info).
 *
 * @param successFlag 0 generating, 1 success, 2 failed, 3 generation failed
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

    public RecordInfo {
        resultUrls = resultUrls == null ? List.of() : List.copyOf(resultUrls);
    }
}
