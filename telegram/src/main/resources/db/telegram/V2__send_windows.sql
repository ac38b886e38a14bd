-- The bot's sends are counted per 100 ms window of the clock instead of one "next free moment" row per bot
-- (docs/decisions/0016-telegram-shared-send-limits.md, SendSpacing): that row was locked by every send of the
-- deployment and moved by the busiest chat, so one chat's pace held back every other chat's sends. An instance of the
-- previous release finds no bot_send_slot and spaces its sends alone (logged) until it is replaced.

CREATE TABLE bot_send_window (
    bot_id    BIGINT NOT NULL,
    window_no BIGINT NOT NULL, -- epoch milliseconds / 100
    sent      INT    NOT NULL,
    PRIMARY KEY (bot_id, window_no)
);

DROP TABLE bot_send_slot;
