package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.kie.KieClient;
import com.neurocards.pipeline.kie.KieException;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.VeoRequest;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Submits one job to Veo: photo onto KIE, then {@code veo/generate} with a key that has room under the create limit.
 * A 429 cools that key and the next key is tried; 401/402/433 take the key out of rotation. With no usable key the
 * job waits and retries ({@link JobFailedException}). Content or input rejections are a result, not a failure;
 * temporary trouble is a retryable {@link StageException}; an answer that may hide a created task is never retried
 * (not with this key, not with the next one).
 *
 * <p>Three steps, one after the other, for every key tried: <em>claim</em> (the caller's, once, before the first
 * create leaves; it must have completed before anything is sent), <em>create</em>, then what the answer means.
 */
public class KieSubmitter {

    private static final Logger LOG = Logger.getLogger(KieSubmitter.class);

    private final KieClient kie;
    private final KieKeyPool keys;
    private final Function<Job, Uni<String>> photoUrl;

    /** @param photoUrl the job's photo on KIE's upload host (fails with {@link KieException} when it cannot be had) */
    public KieSubmitter(KieClient kie, KieKeyPool keys, Function<Job, Uni<String>> photoUrl) {
        this.kie = kie;
        this.keys = keys;
        this.photoUrl = photoUrl;
    }

    public Uni<SubmitOutcome> submit(Job job, String callbackUrl) {
        return submit(job, callbackUrl, () -> Uni.createFrom().voidItem());
    }

    /**
     * @param claim runs once, right before the first create request leaves (claims the job; may fail to stop it); the
     *              create is sent only after it completed
     */
    public Uni<SubmitOutcome> submit(Job job, String callbackUrl, Supplier<Uni<Void>> claim) {
        return Uni.createFrom()
                .deferred(() -> photoUrl.apply(job))
                .onItemOrFailure()
                .transformToUni((imageUrl, failure) -> {
                    if (failure instanceof KieException e) {
                        return decided(e.classification());
                    }
                    if (failure != null) {
                        return Uni.createFrom().failure(failure);
                    }
                    VeoRequest request =
                            new VeoRequest(job.prompt(), imageUrl, job.model(), job.aspectRatio(), callbackUrl);
                    return withNextKey(new Submission(job, request, claim));
                });
    }

    /** One job's way through the keys. */
    private static final class Submission {
        final Job job;
        final VeoRequest request;
        final Supplier<Uni<Void>> claim;
        boolean claimed;
        int tries;
        /** The last refusal of a key (AUTH, BILLING), to fail as if no key is left. */
        Classification refused;

        Submission(Job job, VeoRequest request, Supplier<Uni<Void>> claim) {
            this.job = job;
            this.request = request;
            this.claim = claim;
        }
    }

    private Uni<SubmitOutcome> withNextKey(Submission s) {
        Optional<KieKeyPool.Lease> lease = s.tries++ < Math.max(1, keys.size()) ? keys.acquire() : Optional.empty();
        if (lease.isEmpty()) {
            return Uni.createFrom().failure(noKeyLeft(s));
        }
        return claimOnce(s).chain(() -> create(s, lease.get()));
    }

    /** The caller's claim, before the first create only. */
    private static Uni<Void> claimOnce(Submission s) {
        if (s.claimed) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> s.claim.get()).invoke(() -> s.claimed = true);
    }

    /** The create with this key, and what its answer means: a task, the next key, or the job's outcome. */
    private Uni<SubmitOutcome> create(Submission s, KieKeyPool.Lease lease) {
        return kie.createVeo(lease.key(), s.request)
                .<SubmitOutcome>map(taskId -> new SubmitOutcome.Submitted(taskId, lease.keyId()))
                .onFailure(KieException.class)
                .recoverWithUni(e -> refused(s, lease, (KieException) e));
    }

    private Uni<SubmitOutcome> refused(Submission s, KieKeyPool.Lease lease, KieException e) {
        Classification c = e.classification();
        if (e.ambiguous()) {
            // KIE may have created the task: submitting again could render (and bill) it twice.
            return Uni.createFrom()
                    .failure(new AmbiguousSubmitException(
                            c.providerCode(),
                            "KIE create answer lost (" + c.reason() + "); not sent again to avoid a duplicate task"));
        }
        switch (c.errorClass()) {
            case RATE_LIMIT -> keys.rateLimited(lease);
            case AUTH, BILLING -> {
                keys.disable(lease, c.errorClass(), c.providerCode());
                s.refused = c;
            }
            default -> {
                return decided(c);
            }
        }
        LOG.infof("Job %s: key %s answered %s; trying the next key", s.job.jobId(), lease.keyId(), c.reason());
        return withNextKey(s);
    }

    private StageException noKeyLeft(Submission s) {
        if (keys.isEmpty()) {
            return new JobFailedException(
                    ErrorClass.TEMPORARY, ErrorClass.AUTH, null, "no KIE API key configured", null);
        }
        // No key may create now: wait (through the delay tiers) rather than fail at once.
        ErrorClass failAs = keys.allDisabled() && s.refused != null ? s.refused.errorClass() : ErrorClass.RATE_LIMIT;
        return new JobFailedException(
                ErrorClass.RATE_LIMIT,
                failAs,
                s.refused == null ? 429 : s.refused.providerCode(),
                keys.allDisabled()
                        ? "every KIE key is out of rotation"
                        : "no KIE key may create now (create limit or 429 cool-down)",
                keys.nextAvailableIn());
    }

    private static Uni<SubmitOutcome> decided(Classification c) {
        return Uni.createFrom().item(() -> decide(c));
    }

    private static SubmitOutcome decide(Classification c) {
        return switch (c.errorClass()) {
            case USER -> new SubmitOutcome.Rejected(c);
            case TEMPORARY, RATE_LIMIT -> throw Failures.of(c);
                // our account or key, not the job: wait and retry; if it lasts, the job fails as such
            case AUTH, BILLING -> throw new JobFailedException(
                    ErrorClass.TEMPORARY, c.errorClass(), c.providerCode(), c.reason(), null);
                // something nobody expected: fail the job (the DLQ keeps the message for a look)
            default -> throw new StageException(c.errorClass(), c.providerCode(), c.reason());
        };
    }
}
