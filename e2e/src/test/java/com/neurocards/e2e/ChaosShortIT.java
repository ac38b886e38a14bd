package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.chaos.ChaosMain;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chaos run's short form (docs/reliability.md), as infra/chaos/run.sh --short runs it: about 100 videos through
 * two gateways, two pipelines and one billing while KIE's random fault mix, injected Telegram 429s, a kill -9 every
 * ~20 s, one drop of every database connection and one force-close of every broker connection do their worst. Every
 * check of the report must pass: nothing lost, debited or refunded twice, at most 0.1 % duplicate videos, every failed
 * video refunded and told once, payments credited once, credits conserved.
 *
 * <p>It takes about 3–4 minutes on the project's 2-core machine, the system's start included (docs/reliability.md).
 */
class ChaosShortIT {

    @Test
    void aShortChaosRunLosesNothingAndDoesNothingTwice() throws Exception {
        Path report = Path.of("target/chaos-report.json").toAbsolutePath();
        long started = System.nanoTime();

        int status = ChaosMain.run("--short", "--report", report.toString());

        System.out.printf(
                "ChaosShortIT: the short chaos run took %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertThat(report).exists();
        JsonObject figures = new JsonObject(Files.readString(report));
        assertThat(status)
                .as("the chaos run's exit status (0: every check passed); report %s", figures.encodePrettily())
                .isZero();
        assertThat(figures.getLong("videos")).isGreaterThanOrEqualTo(95);
        assertThat(figures.getLong("lost")).isZero();
        assertThat(figures.getBoolean("conservation_ok")).isTrue();
    }
}
