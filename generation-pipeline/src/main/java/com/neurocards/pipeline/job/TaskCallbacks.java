package com.neurocards.pipeline.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * Where KIE's callback and the submit stage's record of the same task meet. A render that ends at once can call back
 * before the create's answer has reached the submit stage and its transaction has recorded the task id; such a
 * callback finds no job for its task, and without this the render would wait for the poll schedule's first look.
 * So the callback leaves its task id ({@link #remember}) and the submit stage, recording the task, takes it
 * ({@link #takeEarly}) and looks at the render at once.
 *
 * <p>Both sides first take the task's transaction-scoped advisory {@link #lock} and only then read: the second to
 * take it waits for the first to commit and, its next statement reading afresh, sees what the first wrote (READ
 * COMMITTED takes a new snapshot per statement). So either the callback finds the job submitted, or the submit stage
 * finds the callback's row; never neither. A row nobody takes (the submission was never recorded) goes after
 * {@link #KEPT}, when the next early callback comes.
 */
@ApplicationScoped
public class TaskCallbacks {

    private static final Logger LOG = Logger.getLogger(TaskCallbacks.class);
    /** The first key of the two-key advisory lock: this rendezvous's own space, clashing with no other lock. */
    static final int LOCK_SPACE = 0x4e434b43; // "NCKC"
    /** How long a callback nobody took is kept: far longer than any create's answer can take. */
    static final Duration KEPT = Duration.ofDays(1);

    /** Takes the task's lock for the rest of transaction {@code tx}; waits while another transaction holds it. */
    public Uni<Void> lock(SqlClient tx, String kieTaskId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(LOCK_SPACE, kieTaskId))
                .replaceWithVoid();
    }

    /**
     * Records that KIE called back for a task no job has yet (call under {@link #lock}), and forgets the callbacks
     * nobody took within {@link #KEPT}: only this path adds rows, so it keeps the table small itself.
     */
    public Uni<Void> remember(SqlClient tx, String kieTaskId) {
        return tx.preparedQuery("INSERT INTO pipeline.early_callback (kie_task_id) VALUES ($1) "
                        + "ON CONFLICT (kie_task_id) DO NOTHING")
                .execute(Tuple.of(kieTaskId))
                .chain(() -> tx.preparedQuery("DELETE FROM pipeline.early_callback WHERE received_at < $1")
                        .execute(Tuple.of(OffsetDateTime.now().minus(KEPT))))
                .invoke(forgotten -> {
                    if (forgotten.rowCount() > 0) {
                        LOG.infof(
                                "Forgot %d KIE callbacks older than %s whose task was never recorded",
                                forgotten.rowCount(), KEPT);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Takes the task's lock, then whether KIE called back for it before it was recorded (the row is gone once taken:
     * call in the transaction that records the task).
     */
    public Uni<Boolean> takeEarly(SqlClient tx, String kieTaskId) {
        return lock(tx, kieTaskId)
                .chain(() -> tx.preparedQuery("DELETE FROM pipeline.early_callback WHERE kie_task_id = $1")
                        .execute(Tuple.of(kieTaskId)))
                .map(rows -> rows.rowCount() > 0);
    }
}
