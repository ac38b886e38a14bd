-- Each job remembers its request's confirmation card (the progress message, V8). Whichever of the request's events
-- the notify stage renders first starts the progress row, and after a crash that is not always generation.funded
-- (a job's video.submitted may come first): every job event names the card, so the progress goes on the card and
-- nothing is ever sent in its place (docs/architecture.md).
ALTER TABLE job ADD COLUMN progress_message_id BIGINT;
