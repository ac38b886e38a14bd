package com.neurocards.pipeline.stage;

import static com.neurocards.pipeline.error.ErrorClassifier.KIE_RATE_WINDOW;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.Job;
import com.neurocards.pipeline.kie.KieClient;
import com.neurocards.pipeline.kie.KieException;
import com.neurocards.pipeline.kie.KieFunding;
import com.neurocards.pipeline.kie.KieKeyPool;
import com.neurocards.pipeline.kie.VeoRequest;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Submits one job to KIE: photo onto KIE, then the create of the job's model ({@code veo/generate}, or Market's
 * {@code jobs/createTask} for Sora 2) with a key that has room under the create limit
 * (deployment-wide, {@link KieKeyPool}). A 429 cools that key and the next key is tried; 401/433 take the key out of
 * rotation; a 402 is decided by the key's balance ({@link KieFunding}): a key that cannot pay is set aside and the
 * next key tried, a key that can keeps its place and the 402 is this request's failure (retried, then BILLING). With
 * no key free the job waits without using an attempt (pacing) — for a window or a cool-down, or, when no key can pay,
 * for a top-up until {@link Job#waitLimit} — and only a real 429 seen by this submission makes it a RATE_LIMIT retry. Content or input rejections are a result, not a failure;
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
    private final KieFunding funding;
    private final Function<Job, Uni<String>> photoUrl;
    private final Clock clock;

    /** @param photoUrl the job's photo on KIE's upload host (fails with {@link KieException} when it cannot be had) */
    public KieSubmitter(KieClient kie, KieKeyPool keys, KieFunding funding, Function<Job, Uni<String>> photoUrl) {
        this(kie, keys, funding, photoUrl, Clock.systemUTC());
    }

    KieSubmitter(KieClient kie, KieKeyPool keys, KieFunding funding, Function<Job, Uni<String>> photoUrl, Clock clock) {
        this.kie = kie;
        this.keys = keys;
        this.funding = funding;
        this.photoUrl = photoUrl;
        this.clock = clock;
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
        /** KIE itself answered 429 to this submission (not just our limiter holding it back). */
        boolean rateLimited;

        Submission(Job job, VeoRequest request, Supplier<Uni<Void>> claim) {
            this.job = job;
            this.request = request;
            this.claim = claim;
        }
    }

    private Uni<SubmitOutcome> withNextKey(Submission s) {
        if (s.tries++ >= Math.max(1, keys.size())) {
            // every key was tried and turned this submission away: wait as the keys' state says
            return keys.shortage().chain(grant -> noKeyLeft(s, grant));
        }
        return keys.acquire().chain(grant -> grant.leased()
                .map(lease -> claimOnce(s).chain(() -> create(s, lease)))
                .orElseGet(() -> noKeyLeft(s, grant)));
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
        return kie.create(lease.key(), s.request)
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
        Uni<Void> next =
                switch (c.errorClass()) {
                    case RATE_LIMIT -> {
                        s.rateLimited = true;
                        yield keys.rateLimited(lease);
                    }
                    case AUTH -> keys.disable(lease, c.errorClass(), c.providerCode());
                    case BILLING -> Integer.valueOf(433).equals(c.providerCode())
                            // the key's own usage cap: an operator must raise it
                            ? keys.disable(lease, c.errorClass(), c.providerCode())
                            : null;
                    default -> null;
                };
        if (c.errorClass() == ErrorClass.BILLING && next == null) {
            // 402 (or its text): the balance decides whether the key or this request is refused
            return funding.canPay(lease, s.job.model()).chain(canPay -> {
                if (canPay) {
                    return Uni.createFrom().failure(refusedRequest(c, lease));
                }
                LOG.infof("Job %s: key %s cannot pay; trying the next key", s.job.jobId(), lease.keyId());
                return withNextKey(s);
            });
        }
        if (next == null) {
            return decided(c);
        }
        LOG.infof("Job %s: key %s answered %s; trying the next key", s.job.jobId(), lease.keyId(), c.reason());
        return next.chain(() -> withNextKey(s));
    }

    /**
     * KIE refused this request for credits although its key can pay: the request's own failure. Tried again through
     * the delay tiers while attempts last, then failed as BILLING; the key stays in rotation.
     */
    private static JobFailedException refusedRequest(Classification c, KieKeyPool.Lease lease) {
        return new JobFailedException(
                ErrorClass.TEMPORARY,
                ErrorClass.BILLING,
                c.providerCode(),
                "KIE refused this request for credits (" + c.reason() + ") although key " + lease.keyId()
                        + " can pay it",
                null);
    }

    private Uni<SubmitOutcome> noKeyLeft(Submission s, KieKeyPool.Grant grant) {
        return Uni.createFrom().failure(noKeyLeft(s, grant.shortage(), grant.waitFor(), grant.refusedAs()));
    }

    private StageException noKeyLeft(
            Submission s, KieKeyPool.Shortage shortage, java.time.Duration wait, ErrorClass refusedAs) {
        return switch (shortage) {
            case NO_KEYS -> new JobFailedException(
                    ErrorClass.TEMPORARY, ErrorClass.AUTH, null, "no KIE API key configured", null);
                // KIE said 429 to this submission: a real rate limit, retried with attempts and failed as RATE_LIMIT
            case BUSY -> s.rateLimited
                    ? new JobFailedException(
                            ErrorClass.RATE_LIMIT,
                            ErrorClass.RATE_LIMIT,
                            429,
                            "KIE rate-limited every key this submission tried",
                            wait.compareTo(KIE_RATE_WINDOW) < 0 ? KIE_RATE_WINDOW : wait)
                    // only our own limiter (or another job's 429) holds it back: pacing, no attempt used
                    : StageException.paced("no KIE key has room in its create window now", wait, null);
            case UNFUNDED -> fundingWait(s);
            case REFUSED -> new JobFailedException(
                    ErrorClass.TEMPORARY,
                    refusedAs == null ? ErrorClass.AUTH : refusedAs,
                    null,
                    "every KIE key is out of rotation",
                    wait);
        };
    }

    /** No key can pay: the job waits (no attempt used) for a top-up until its wait limit, then fails as BILLING. */
    private StageException fundingWait(Submission s) {
        Instant limit = s.job.waitLimit(funding.fundingWait());
        Instant now = clock.instant();
        if (!now.isBefore(limit)) {
            return new StageException(
                    ErrorClass.BILLING,
                    402,
                    "no KIE key could pay for the video before its wait limit (" + limit + ")",
                    null,
                    null);
        }
        java.time.Duration untilLimit = java.time.Duration.between(now, limit);
        java.time.Duration wait =
                untilLimit.compareTo(funding.checkInterval()) < 0 ? untilLimit : funding.checkInterval();
        return new FundingWait(wait);
    }

    /** The job waits for a KIE top-up: pacing (no attempt used), and the seller is told once (SubmitStage). */
    public static final class FundingWait extends StageException {
        FundingWait(java.time.Duration wait) {
            super("no KIE key can pay now: waiting for a top-up", wait);
        }
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
