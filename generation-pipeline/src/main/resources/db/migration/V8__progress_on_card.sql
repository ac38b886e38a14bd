-- The progress of a request is shown on the seller's confirmation card when generation.requested names it: the card
-- is a photo or a file with a caption, so it is edited with editMessageCaption, not editMessageText. Its id is known
-- before anything is sent, so no retry can send a second "started" message (docs/architecture.md).
ALTER TABLE progress_message ADD COLUMN on_card BOOLEAN NOT NULL DEFAULT false;
