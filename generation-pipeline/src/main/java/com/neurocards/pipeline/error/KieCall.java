package com.neurocards.pipeline.error;

/** Which KIE endpoint answered: the same envelope code can mean different things on different endpoints. */
public enum KieCall {
    UPLOAD,
    CREATE,
    RECORD_INFO,
    HD_VIDEO,
    CREDIT
}
