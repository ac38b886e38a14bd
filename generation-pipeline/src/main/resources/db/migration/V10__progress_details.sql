-- The progress message is also re-rendered without an event (a rendering video's elapsed time, ProgressTicker): what
-- the last event said about waiting for a KIE top-up is kept with it, as "retrying" is, so such a refresh repeats it.
ALTER TABLE progress_message ADD COLUMN awaiting_funding BOOLEAN NOT NULL DEFAULT false;

-- When billing's credits.refunded for a job reached the notify stage: its line on the progress message then says the
-- credits are back, not that they are being returned.
ALTER TABLE job ADD COLUMN refunded_at TIMESTAMPTZ;
