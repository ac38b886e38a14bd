package com.neurocards.gateway.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void outagesAreRetriedNotGivenUp() {
        assertThat(Failures.isBug(new CompletionException(new ConnectException("Connection refused"))))
                .isFalse();
        assertThat(Failures.isBug(new TimeoutException())).isFalse();
        assertThat(Failures.isBug(pg("57P01", "terminating connection due to administrator command")))
                .isFalse();
        assertThat(Failures.isBug(pg("55000", "database is not currently accepting connections")))
                .isFalse();
        assertThat(Failures.isBug(pg("42501", "permission denied for database")))
                .isFalse();
        assertThat(Failures.isBug(new IllegalStateException("Pool closed"))).isFalse();
    }

    @Test
    void programmingAndDataErrorsAreBugs() {
        assertThat(Failures.isBug(new RuntimeException(new NullPointerException())))
                .isTrue();
        assertThat(Failures.isBug(new NumberFormatException("x"))).isTrue();
        assertThat(Failures.isBug(pg("22001", "value too long for type character varying(64)")))
                .isTrue();
        assertThat(Failures.isBug(pg("42703", "column \"x\" does not exist"))).isTrue();
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "ERROR", sqlState, null);
    }
}
