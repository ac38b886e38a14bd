package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;

/**
 * KIE may have created the job's task although we could not learn its id (the answer was lost, or the submission was
 * interrupted mid-request). Never retried — a duplicate would render, and bill, twice: the job fails as UNKNOWN and
 * the message goes to the DLQ for an operator, who can look the task up in KIE's logs.
 */
public class AmbiguousSubmitException extends StageException {

    public AmbiguousSubmitException(Integer providerCode, String message) {
        super(ErrorClass.UNKNOWN, providerCode, message, null, null);
    }
}
