-- Set right before a job's create request goes to KIE, cleared when the request certainly made no task. A job found
-- with it set, no task id and the claim long past was interrupted while KIE may have created its task: it is not
-- sent again (kie-api.md §8.2 — a duplicate would render, and bill, twice).
ALTER TABLE job ADD COLUMN submit_started_at TIMESTAMPTZ;
