-- The video model of a draft and of a confirmed generation (KIE's model name; null before the model step existed:
-- such an order renders with the default model), and whether the open draft is an order billing rejected for credits,
-- kept for the seller so that a top-up offers its card again.
ALTER TABLE conversation ADD COLUMN model TEXT;
ALTER TABLE conversation ADD COLUMN kept BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE generation ADD COLUMN model TEXT;
