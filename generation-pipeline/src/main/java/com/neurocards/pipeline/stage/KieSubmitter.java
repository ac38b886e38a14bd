package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.kie.KieClient;
import com.neurocards.pipeline.kie.KieException;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.VeoRequest;
import com.neurocards.pipeline.job.Job;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.Function;

/**
 * Submits one job to Veo: photo onto KIE, then {@code veo/generate} with a key that has room under the create limit.
 * A 429 cools that key and the next key is tried; 401/402/433 take the key out of rotation. With no usable key the
 * job waits and retries ({@link JobFailedException}). Content or input rejections are a result, not an exception;
 * temporary trouble is a retryable {@link StageException}; an answer that may hide a created task is never retried.
 */
public class KieSubmitter {

    private static final Logger LOG = Logger.getLogger(KieSubmitter.class);

    private final KieClient kie;
    private final KieKeyPool keys;
    private final Function<Job, String> photoUrl;

    /** @param photoUrl the job's photo on KIE's upload host (throws {@link KieException} when it cannot be had) */
    public KieSubmitter(KieClient kie, KieKeyPool keys, Function<Job, String> photoUrl) {
        this.kie = kie;
        this.keys = keys;
        this.photoUrl = photoUrl;
    }

    public SubmitOutcome submit(Job job, String callbackUrl) {
        return submit(job, callbackUrl, () -> {
        });
    }

    /**
     * @param beforeCreate runs once, right before the first create request leaves (claims the job; may throw to stop)
     */
    public SubmitOutcome submit(Job job, String callbackUrl, Runnable beforeCreate) {
        String imageUrl;
        try {
            imageUrl = photoUrl.apply(job);
        } catch (KieException e) {
            return decide(e.classification());
        }
        VeoRequest request = new VeoRequest(job.prompt(), imageUrl, job.model(), job.aspectRatio(), callbackUrl);
        Classification refused = null;
        boolean claimed = false;
        for (int tries = 0; tries < Math.max(1, keys.size()); tries++) {
            Optional<KieKeyPool.Lease> lease = keys.acquire();
            if (lease.isEmpty()) {
                break;
            }
            if (!claimed) {
                beforeCreate.run();
                claimed = true;
            }
            try {
                String taskId = kie.createVeo(lease.get().key(), request);
                return new SubmitOutcome.Submitted(taskId, lease.get().keyId());
            } catch (KieException e) {
                Classification c = e.classification();
                if (e.ambiguous()) {
                    // KIE may have created the task: submitting again could render (and bill) it twice.
                    throw new AmbiguousSubmitException(c.providerCode(),
                            "KIE create answer lost (" + c.reason() + "); not sent again to avoid a duplicate task");
                }
                switch (c.errorClass()) {
                    case RATE_LIMIT -> keys.rateLimited(lease.get());
                    case AUTH, BILLING -> {
                        keys.disable(lease.get(), c.errorClass(), c.providerCode());
                        refused = c;
                    }
                    default -> {
                        return decide(c);
                    }
                }
                LOG.infof("Job %s: key %s answered %s; trying the next key", job.jobId(), lease.get().keyId(), c.reason());
            }
        }
        if (keys.isEmpty()) {
            throw new JobFailedException(ErrorClass.TEMPORARY, ErrorClass.AUTH, null, "no KIE API key configured", null);
        }
        // No key may create now: wait (through the delay tiers) rather than fail at once.
        ErrorClass failAs = keys.allDisabled() && refused != null ? refused.errorClass() : ErrorClass.RATE_LIMIT;
        throw new JobFailedException(ErrorClass.RATE_LIMIT, failAs, refused == null ? 429 : refused.providerCode(),
                keys.allDisabled() ? "every KIE key is out of rotation" : "no KIE key may create now (create limit or 429 cool-down)",
                keys.nextAvailableIn());
    }

    private static SubmitOutcome decide(Classification c) {
        return switch (c.errorClass()) {
            case USER -> new SubmitOutcome.Rejected(c);
            case TEMPORARY, RATE_LIMIT -> throw Failures.of(c);
            // our account or key, not the job: wait and retry; if it lasts, the job fails as such
            case AUTH, BILLING -> throw new JobFailedException(ErrorClass.TEMPORARY, c.errorClass(), c.providerCode(),
                    c.reason(), null);
            // something nobody expected: fail the job (the DLQ keeps the message for a look)
            default -> throw new StageException(c.errorClass(), c.providerCode(), c.reason());
        };
    }
}
