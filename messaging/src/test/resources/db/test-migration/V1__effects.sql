-- What the scripted test stage does as its "effect", so tests can count how often an effect happened.
CREATE TABLE effect (
    id         BIGSERIAL PRIMARY KEY,
    message_id UUID NOT NULL,
    note       TEXT NOT NULL
);
