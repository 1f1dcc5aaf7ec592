-- Dashboard sessions: redeeming a ticket opens one, and the dashboard calls the API with it
-- (Authorization: Bearer mc_ds_…) for a fixed lifetime. Only the SHA-256 hash of a session is
-- stored. A session is bound to the key that minted its ticket: it keeps that key's hash (never
-- the key) and every request re-checks the key through it, so revoking the key ends the session.

-- The hash of the key that minted the ticket. Null only for tickets minted before this
-- migration: they redeem to nothing, and expire within a minute anyway.
ALTER TABLE dashboard_tickets ADD COLUMN key_hash bytea;

CREATE TABLE dashboard_sessions (
    session_hash  bytea       PRIMARY KEY,
    key_kind      text        NOT NULL CHECK (key_kind IN ('owner', 'guest', 'spectator')),
    key_hash      bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);

CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
