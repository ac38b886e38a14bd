package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * KIE's answer to every call: {@code {code, msg, data}}, {@code code} 200 on success. Most errors come as HTTP 200
 * with another code here. Market's record-info says {@code message} instead of {@code msg}: both are read.
 * {@code data} stays a tree until the code says what it is (an object, a number, or null on errors).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KieEnvelope(Integer code, String msg, String message, JsonNode data) {

    /** KIE's text about the answer ({@code msg}, else {@code message}). */
    public String text() {
        return msg != null ? msg : message;
    }
}
