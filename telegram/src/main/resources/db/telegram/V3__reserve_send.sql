-- A send's reservation as one statement (SharedChatThrottle.reserveSlot; docs/decisions/0016-telegram-shared-send-limits.md).
-- It was a transaction of five round trips: the chat's row locked, the first window with room counted, the chat's row
-- written, the commit. The window's row stayed locked from its count to the commit, across two round trips, so every
-- send of the same 100 ms window waited for that row at the pace of the busiest instance's event loop and network.
-- Here the locks are held only while the database runs the function, and the commit that follows does not wait for
-- the disk (the slot is pacing, not a record: the worst a crash can cost is one 429, honoured like any other).
--
-- The rule is SendSpacing's: a send goes at the chat's free moment or later, in the first window from there with room
-- for it (fewer than per_window sends counted); it is refused, with nothing counted or written, when that moment is
-- further than max_wait from now (checked before any window is counted). Returns the database's clock (db_now), the
-- moment the send may go (slot_at) and whether it was reserved; a refused slot_at is the moment it would have needed.

CREATE FUNCTION reserve_send(
    p_bot_id     BIGINT,
    p_chat_id    BIGINT,
    p_per_chat   INTERVAL,
    p_per_window INT,
    p_window_ms  BIGINT,
    p_max_wait   INTERVAL)
RETURNS TABLE (db_now TIMESTAMPTZ, slot_at TIMESTAMPTZ, reserved BOOLEAN)
LANGUAGE plpgsql
AS $$
DECLARE
    v_now       TIMESTAMPTZ;
    v_chat_next TIMESTAMPTZ;
    v_free      TIMESTAMPTZ;
    v_from      BIGINT;
    v_last      BIGINT;
    v_candidate BIGINT;
    v_taken     BIGINT;
    v_slot      TIMESTAMPTZ;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);

    -- the chat's row locked (created on first use, free since the epoch), the clock read once the lock is held
    INSERT INTO telegram.chat_send_slot AS c (bot_id, chat_id, next_at) VALUES (p_bot_id, p_chat_id, 'epoch')
    ON CONFLICT (bot_id, chat_id) DO UPDATE SET next_at = c.next_at
    RETURNING c.next_at, clock_timestamp() INTO v_chat_next, v_now;

    v_free := GREATEST(v_now, v_chat_next);
    IF v_free > v_now + p_max_wait THEN
        RETURN QUERY SELECT v_now, v_free, FALSE;
        RETURN;
    END IF;

    v_from := floor(extract(epoch FROM v_free) * 1000 / p_window_ms)::BIGINT;
    v_last := floor(extract(epoch FROM v_now + p_max_wait) * 1000 / p_window_ms)::BIGINT;
    LOOP
        -- the full windows on the way are read, never locked: one row is locked, the one counted in
        SELECT g.window_no INTO v_candidate
        FROM generate_series(v_from, v_last) AS g(window_no)
        LEFT JOIN telegram.bot_send_window b ON b.bot_id = p_bot_id AND b.window_no = g.window_no
        WHERE coalesce(b.sent, 0) < p_per_window
        ORDER BY g.window_no
        LIMIT 1;
        IF v_candidate IS NULL THEN
            -- every window up to max_wait is full
            RETURN QUERY SELECT v_now, 'epoch'::TIMESTAMPTZ + (v_last + 1) * p_window_ms * INTERVAL '1 millisecond',
                FALSE;
            RETURN;
        END IF;
        INSERT INTO telegram.bot_send_window AS w (bot_id, window_no, sent) VALUES (p_bot_id, v_candidate, 1)
        ON CONFLICT (bot_id, window_no) DO UPDATE SET sent = w.sent + 1 WHERE w.sent < p_per_window
        RETURNING w.window_no INTO v_taken;
        EXIT WHEN v_taken IS NOT NULL;
        -- another reservation filled it between the read and the count: on to the next
        v_from := v_candidate + 1;
    END LOOP;

    v_slot := GREATEST(v_free, 'epoch'::TIMESTAMPTZ + v_taken * p_window_ms * INTERVAL '1 millisecond');
    UPDATE telegram.chat_send_slot SET next_at = GREATEST(next_at, v_slot + p_per_chat)
    WHERE bot_id = p_bot_id AND chat_id = p_chat_id;
    RETURN QUERY SELECT v_now, v_slot, TRUE;
END
$$;
