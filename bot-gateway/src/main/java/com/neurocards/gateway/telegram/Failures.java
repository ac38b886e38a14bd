package com.neurocards.gateway.telegram;

import com.fasterxml.jackson.core.JacksonException;
import io.vertx.pgclient.PgException;
import java.time.DateTimeException;
import java.util.Set;

/**
 * Sorts why handling an update failed. An outage (database, broker, billing, a timeout) is retried until it is over:
 * the update holds its place. Only a failure that comes from the update itself meeting a bug — a programming or
 * parse error, or data the database refuses — can make an update unprocessable; anything not recognised as such is
 * treated as an outage, so a paid order is never given up by mistake.
 */
public final class Failures {

    /** SQLSTATE classes of data the database refuses whatever the moment: data exception, constraint, syntax. */
    private static final Set<String> DATA_ERROR_CLASSES = Set.of("22", "23", "42");
    /** ...except a refused permission (42501): an operator's change, undone by an operator. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Failures() {}

    /** Whether this failure would happen again on every try (a bug), rather than pass (an outage). */
    public static boolean isBug(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NullPointerException
                    || t instanceof ClassCastException
                    || t instanceof IllegalArgumentException
                    || t instanceof IndexOutOfBoundsException
                    || t instanceof ArithmeticException
                    || t instanceof UnsupportedOperationException
                    || t instanceof DateTimeException
                    || t instanceof JacksonException) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && pg.getSqlState().length() >= 2
                    && DATA_ERROR_CLASSES.contains(pg.getSqlState().substring(0, 2))
                    && !INSUFFICIENT_PRIVILEGE.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
