package com.neurocards.contracts.event;

/**
 * One video of a request, with what every stage needs to know about it without asking anyone.
 *
 * @param jobId     {@code <requestId>-<index>}
 * @param index     1-based position among the request's videos
 * @param total     how many videos the request asked for
 */
public record JobRef(
        String jobId, String requestId, long userId, long chatId, Language locale, int index, int total, Photo photo) {

    /** The id of the {@code index}-th job (1-based) of a request. */
    public static String jobId(String requestId, int index) {
        return requestId + "-" + index;
    }
}
