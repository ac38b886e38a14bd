-- The event journal: every message that crossed the broker (events, retries, re-drives, replays, dead letters),
-- stored by its own consumer of pipeline.journal. Append-only; old rows go after the retention period
-- (neurocards.pipeline.journal.retention).
CREATE TABLE journal (
    id                BIGSERIAL   PRIMARY KEY,
    -- message id + a hash of exchange, routing key and headers: a redelivered message has the same key and is stored
    -- once; a retry (other x-attempt), a dead letter or a re-drive of the same message id is a crossing of its own
    crossing_key      TEXT        NOT NULL UNIQUE,
    message_id        TEXT        NOT NULL,
    event_type        TEXT,
    exchange          TEXT        NOT NULL,
    routing_key       TEXT        NOT NULL,
    request_id        TEXT,
    job_id            TEXT,
    attempt           INT,
    replay_of         TEXT,
    -- dead letters: the stage that gave up, the error class and the cause (from the DLQ headers or x-death)
    dead_letter_stage TEXT,
    error_class       TEXT,
    dead_letter_cause TEXT,
    headers           JSONB       NOT NULL,
    envelope          JSONB,      -- null when the body was not JSON (then raw_body holds it)
    raw_body          TEXT,
    published_at      TIMESTAMPTZ,
    received_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX journal_request ON journal (request_id, id);
CREATE INDEX journal_job ON journal (job_id, id);
CREATE INDEX journal_message ON journal (message_id);
CREATE INDEX journal_received ON journal (received_at);

-- Replays a stage acted on (an operator re-published a journaled event with x-replay-of): the replayed message
-- resets its job once, however often the broker delivers it.
CREATE TABLE job_replay (
    message_id  UUID        NOT NULL,
    job_id      TEXT        NOT NULL,
    stage       TEXT        NOT NULL,
    replay_of   TEXT,
    replayed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, job_id)
);
CREATE INDEX job_replay_job ON job_replay (job_id);
