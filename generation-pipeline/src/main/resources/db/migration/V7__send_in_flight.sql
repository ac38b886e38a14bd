-- Sending a video: the at-most-twice rule (docs/architecture.md). A send to Telegram is written down, and committed,
-- before Telegram is called, so that a send whose answer was lost, or whose consumer crashed, is known afterwards.
-- The job stays READY while it is sent; it ends DELIVERED (mode VIDEO, LINK, or UNCONFIRMED when the video may be in
-- the chat but Telegram never said so), UNDELIVERABLE, or FAILED (only when no send may have reached the chat).
ALTER TABLE job
    ADD COLUMN send_attempts   INT NOT NULL DEFAULT 0,  -- sends started; the number names the send in flight
    ADD COLUMN send_started_at TIMESTAMPTZ,             -- a send in flight: started, its outcome not written yet
    ADD COLUMN uncertain_sends INT NOT NULL DEFAULT 0;  -- sends that may have reached the chat without an answer
