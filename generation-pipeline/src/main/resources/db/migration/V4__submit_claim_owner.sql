-- Who holds a job's submit claim: a random id per submission try, set together with submit_started_at. A try may free
-- only the claim it took itself; freeing by job id alone let a try that never claimed (no KIE key free, a photo that
-- could not be fetched) wipe the claim of another try whose create was already at KIE, and the job was then created
-- twice after a crash.
ALTER TABLE job ADD COLUMN submit_claim_id TEXT;
