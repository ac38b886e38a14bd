-- Every funded job ends (docs/architecture.md#every-funded-job-ends): one overall deadline per job, from the moment it
-- was funded (generation.funded) plus neurocards.pipeline.job-deadline, whatever stage it is in. The sweeper fails a
-- job still not ended sweep.job-grace past it (refunded); the deliver stage never delivers a job past it.
-- Rows written before this migration have none (only their render deadline holds them).
ALTER TABLE job ADD COLUMN expires_at TIMESTAMPTZ;
CREATE INDEX job_open ON job (expires_at) WHERE status NOT IN ('DELIVERED', 'UNDELIVERABLE', 'FAILED');

-- Jobs whose message reached a dead-letter queue of a working stage (prompt, submit, poll, deliver) while the job had
-- not ended: no stage is working on them any more. Written by the event journal (which receives every dead letter),
-- with an alarm; the next sweep fails and refunds them and deletes the row. job_ref is the job as the dead-lettered
-- message described it (null when the message was unreadable), for a job that has no row yet.
CREATE TABLE stranded_job (
    job_id           TEXT PRIMARY KEY,
    queue            TEXT        NOT NULL,
    error_class      TEXT,
    cause            TEXT,
    job_ref          JSONB,
    dead_lettered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
