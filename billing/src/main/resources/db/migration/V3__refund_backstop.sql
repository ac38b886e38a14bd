-- Billing's own backstop under the pipeline (docs/architecture.md#every-funded-job-ends): when each job was funded and
-- whether it was delivered (generation.delivered, on billing.delivered), so a funded job neither delivered nor refunded
-- long after the pipeline's own deadline is refunded once by billing (key refund:<jobId>, as any refund).
ALTER TABLE funded_job ADD COLUMN funded_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE funded_job ADD COLUMN delivered_at TIMESTAMPTZ;
CREATE INDEX funded_job_open ON funded_job (funded_at) WHERE refunded_at IS NULL AND delivered_at IS NULL;
