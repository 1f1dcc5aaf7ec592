-- One-time dashboard tickets: `meshcode dashboard` mints one for its caller, the browser redeems
-- it once within 60 s. Only the SHA-256 hash of a ticket is stored; the row keeps who it was
-- minted for (no secret), so a redeem can say it.
CREATE TABLE dashboard_tickets (
    ticket_hash  bytea       PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('owner', 'guest', 'spectator')),
    subject      text        NOT NULL,
    name         text,
    is_admin     boolean     NOT NULL DEFAULT false,
    meshwork_id  text,
    meshwork     text,
    agent        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    redeemed_at  timestamptz
);

CREATE INDEX dashboard_tickets_by_expiry ON dashboard_tickets (expires_at);
