-- A session remembers who opened it (the internal token's subject: an owner's account id, a
-- guest's member id), so revoking a member ends the session that member opened at once, and the
-- agent shows offline on the next read rather than when the lease runs out.
ALTER TABLE sessions ADD COLUMN opened_by text;
ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
    CHECK (end_reason IN ('closed', 'taken_over', 'expired', 'revoked'));
