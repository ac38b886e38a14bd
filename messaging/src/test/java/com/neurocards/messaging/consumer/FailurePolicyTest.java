package com.neurocards.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.MalformedEventException;
import com.neurocards.messaging.consumer.FailureDecision.DeadLetter;
import com.neurocards.messaging.consumer.FailureDecision.GiveUp;
import com.neurocards.messaging.consumer.FailureDecision.Pace;
import com.neurocards.messaging.consumer.FailureDecision.Retry;
import com.neurocards.messaging.consumer.FailureDecision.RideOut;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every outcome of the failure policy, with the limits the services run with (5 attempts, 120 pacing rounds, 120
 * infrastructure rounds): which failure, after how many tries, leads where.
 */
class FailurePolicyTest {

    private final FailurePolicy policy = new FailurePolicy(5, 120, 120);

    @ParameterizedTest(name = "{0} at attempt {1}, pacing round {2}, infrastructure round {3} -> {4}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            # failure               | attempt | pacing rounds | infrastructure rounds | decision                                        | outcome
            # a retryable failure goes round growing delay tiers while attempts are left, then gives up
            temporary               | 1 | 0   | 0   | retry 5s as attempt 2                                    | retried
            temporary               | 2 | 0   | 0   | retry 15s as attempt 3                                   | retried
            temporary               | 3 | 0   | 0   | retry 30s as attempt 4                                   | retried
            temporary               | 4 | 0   | 0   | retry 60s as attempt 5                                   | retried
            temporary               | 5 | 0   | 0   | give up at attempt 5: TEMPORARY, ATTEMPTS_USED_UP        | dead_lettered
            temporary               | 9 | 0   | 0   | give up at attempt 9: TEMPORARY, ATTEMPTS_USED_UP        | dead_lettered
            # a provider's retry-after: the longer of it and the attempt's own tier
            rate limit              | 1 | 0   | 0   | retry 5s as attempt 2                                    | retried
            rate limit 40s          | 1 | 0   | 0   | retry 60s as attempt 2                                   | retried
            rate limit 10s          | 1 | 0   | 0   | retry 15s as attempt 2                                   | retried
            rate limit 10s          | 3 | 0   | 0   | retry 30s as attempt 4                                   | retried
            rate limit 10s          | 5 | 0   | 0   | give up at attempt 5: RATE_LIMIT, ATTEMPTS_USED_UP       | dead_lettered
            # pacing keeps the attempt, also the last one, for a bounded number of rounds
            paced 1s                | 1 | 0   | 0   | pace 5s as attempt 1, round 1                            | paced
            paced 20s               | 3 | 7   | 0   | pace 30s as attempt 3, round 8                           | paced
            paced 90s               | 1 | 0   | 0   | pace 60s as attempt 1, round 1                           | paced
            paced 1s                | 5 | 119 | 0   | pace 5s as attempt 5, round 120                          | paced
            paced 1s                | 1 | 0   | 120 | pace 5s as attempt 1, round 1                            | paced
            # ... then a wait counts as a failed attempt, for at least as long as asked
            paced 1s                | 2 | 120 | 0   | retry 15s as attempt 3                                   | retried
            paced 20s               | 1 | 120 | 0   | retry 30s as attempt 2                                   | retried
            paced 1s                | 5 | 120 | 0   | give up at attempt 5: RATE_LIMIT, ATTEMPTS_USED_UP       | dead_lettered
            # our own infrastructure trouble is ridden out through the 5 s tier, attempt kept, bounded
            database restarting     | 1 | 0   | 0   | ride out 5s as attempt 1, round 1                        | infrastructure_retry
            database restarting     | 3 | 0   | 119 | ride out 5s as attempt 3, round 120                      | infrastructure_retry
            serialization conflict  | 1 | 0   | 4   | ride out 5s as attempt 1, round 5                        | infrastructure_retry
            connection refused      | 5 | 0   | 0   | ride out 5s as attempt 5, round 1                        | infrastructure_retry
            connection ended        | 2 | 0   | 0   | ride out 5s as attempt 2, round 1                        | infrastructure_retry
            database restarting     | 1 | 0   | 120 | give up at attempt 1: UNKNOWN, INFRASTRUCTURE_ROUNDS_USED_UP | dead_lettered
            # a failure the stage classified as not worth another try gives up at once
            user                    | 1 | 0   | 0   | give up at attempt 1: USER, NOT_RETRYABLE                | dead_lettered
            auth                    | 2 | 0   | 0   | give up at attempt 2: AUTH, NOT_RETRYABLE                | dead_lettered
            billing                 | 1 | 0   | 0   | give up at attempt 1: BILLING, NOT_RETRYABLE             | dead_lettered
            unknown                 | 1 | 0   | 0   | give up at attempt 1: UNKNOWN, NOT_RETRYABLE             | dead_lettered
            # anything no rule expects gives up at once
            bug                     | 1 | 0   | 0   | give up at attempt 1: UNKNOWN, UNEXPECTED                | dead_lettered
            bad sql                 | 1 | 0   | 0   | give up at attempt 1: UNKNOWN, UNEXPECTED                | dead_lettered
            wrapped temporary       | 1 | 0   | 0   | give up at attempt 1: UNKNOWN, UNEXPECTED                | dead_lettered
            # a message nobody can read goes to the DLQ without asking the stage
            undecodable             | 1 | 0   | 0   | dead-letter at attempt 1: UNKNOWN                        | dead_lettered
            undecodable             | 3 | 2   | 1   | dead-letter at attempt 3: UNKNOWN                        | dead_lettered
            """)
    void decides(
            String failure, int attempt, int pacingRounds, int infrastructureRounds, String expected, String outcome) {
        Tries tries = new Tries(attempt, pacingRounds, infrastructureRounds);

        FailureDecision decision = failure.equals("undecodable")
                ? policy.undecodable(new MalformedEventException("not JSON"), tries)
                : policy.afterFailure(failureNamed(failure), tries);

        assertThat(describe(decision)).isEqualTo(expected);
        assertThat(decision.outcome()).isEqualTo(outcome);
        assertThat(decision.isFailure()).as("counted as a failure").isEqualTo(!(decision instanceof Pace));
    }

    @Test
    void aStageWithFewerAttemptsGivesUpSooner() {
        FailurePolicy once = new FailurePolicy(1, 120, 120);

        assertThat(describe(once.afterFailure(failureNamed("temporary"), new Tries(1, 0, 0))))
                .isEqualTo("give up at attempt 1: TEMPORARY, ATTEMPTS_USED_UP");
        assertThat(describe(once.afterFailure(failureNamed("paced 1s"), new Tries(1, 0, 0))))
                .as("pacing uses no attempt")
                .isEqualTo("pace 5s as attempt 1, round 1");
    }

    @Test
    void theCauseOfADeadLetterIsTheFailureWithSecretsRemoved() {
        Throwable failure = new IllegalStateException(
                "GET https://api.telegram.org/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ/getFile failed");

        GiveUp giveUp = (GiveUp) policy.afterFailure(failure, new Tries(1, 0, 0));

        assertThat(giveUp.cause()).startsWith("IllegalStateException: ").doesNotContain("ABCdefGHIjklMNOpqrSTUvwxYZ");
        assertThat(policy.undecodable(new MalformedEventException("not JSON: {"), new Tries(1, 0, 0))
                        .cause())
                .isEqualTo("MalformedEventException: not JSON: {");
    }

    private static Throwable failureNamed(String name) {
        return switch (name) {
            case "temporary" -> StageException.temporary("KIE answered 500", null);
            case "rate limit" -> StageException.rateLimited("KIE answered 429", null);
            case "rate limit 10s" -> StageException.rateLimited("KIE answered 429", Duration.ofSeconds(10));
            case "rate limit 40s" -> StageException.rateLimited("KIE answered 429", Duration.ofSeconds(40));
            case "paced 1s" -> StageException.paced("the chat is busy", Duration.ofSeconds(1), null);
            case "paced 20s" -> StageException.paced("Telegram answered 429", Duration.ofSeconds(20), 429);
            case "paced 90s" -> StageException.paced("Telegram answered 429", Duration.ofSeconds(90), 429);
            case "database restarting" -> new PgException(
                    "terminating connection due to administrator command", "FATAL", "57P01", null);
            case "serialization conflict" -> new PgException("could not serialize access", "ERROR", "40001", null);
            case "connection refused" -> new RuntimeException(new ConnectException("Connection refused"));
            case "connection ended" -> new io.vertx.core.impl.NoStackTraceThrowable(
                    "Connection is not active now, current status: CLOSED");
            case "user" -> new StageException(ErrorClass.USER, 400, "the prompt was flagged");
            case "auth" -> new StageException(ErrorClass.AUTH, 401, "the key was refused");
            case "billing" -> new StageException(ErrorClass.BILLING, 402, "no credits left");
            case "unknown" -> new StageException(ErrorClass.UNKNOWN, 404, "the task does not exist");
            case "bug" -> new IllegalStateException("no rule expects this");
            case "bad sql" -> new PgException("syntax error", "ERROR", "42601", null);
            case "wrapped temporary" -> new RuntimeException(StageException.temporary("KIE answered 500", null));
            default -> throw new IllegalArgumentException("no failure named " + name);
        };
    }

    private static String describe(FailureDecision decision) {
        if (decision instanceof Pace pace) {
            return "pace " + pace.tier().label() + " as attempt " + pace.attempt() + ", round " + pace.round();
        }
        if (decision instanceof RideOut rideOut) {
            return "ride out " + rideOut.tier().label() + " as attempt " + rideOut.attempt() + ", round "
                    + rideOut.round();
        }
        if (decision instanceof Retry retry) {
            return "retry " + retry.tier().label() + " as attempt " + retry.nextAttempt();
        }
        if (decision instanceof GiveUp giveUp) {
            return "give up at attempt " + giveUp.attempt() + ": " + giveUp.errorClass() + ", " + giveUp.reason();
        }
        DeadLetter deadLetter = (DeadLetter) decision;
        return "dead-letter at attempt " + deadLetter.attempt() + ": " + deadLetter.errorClass();
    }
}
