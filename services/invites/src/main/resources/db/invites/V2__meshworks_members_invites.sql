-- Meshworks, their agent slots, the people invited into them, spectator links and the links
-- between meshworks. Secrets (invite tokens, guest keys, spectator tokens) are stored only as
-- SHA-256 hashes plus a short display prefix: the plaintext is shown once, when it is made.

CREATE TABLE meshworks (
    id             uuid        PRIMARY KEY,
    -- An account of the gateway's schema: an id the internal token vouches for, never joined.
    owner_account  text        NOT NULL,
    name           text        NOT NULL,
    description    text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT meshworks_owner_name UNIQUE (owner_account, name)
);

CREATE TABLE agents (
    meshwork_id    uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    name           text        NOT NULL,
    role           text        NOT NULL DEFAULT '',
    launch_prompt  text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meshwork_id, name)
);

-- An invite names its slot by name, without a foreign key: removing the slot revokes the
-- invite rather than deleting it, so the list keeps its history.
CREATE TABLE invites (
    id             uuid        PRIMARY KEY,
    meshwork_id    uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    agent          text        NOT NULL,
    role           text,       -- null: the slot keeps the role it has
    token_hash     bytea       NOT NULL UNIQUE,
    token_prefix   text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    redeemed_at    timestamptz,
    redeemed_by    uuid,
    revoked_at     timestamptz
);

CREATE INDEX invites_by_meshwork ON invites (meshwork_id, agent);

-- A guest who redeemed an invite: holds the hash of its scoped key. Revoked rows stay.
CREATE TABLE members (
    id             uuid        PRIMARY KEY,
    meshwork_id    uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    agent          text        NOT NULL,
    display_name   text        NOT NULL,
    key_hash       bytea       NOT NULL UNIQUE,
    key_prefix     text        NOT NULL,
    invite_id      uuid,
    joined_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz,
    revoked_at     timestamptz
);

CREATE INDEX members_by_meshwork ON members (meshwork_id, agent);

CREATE TABLE spectator_links (
    id             uuid        PRIMARY KEY,
    meshwork_id    uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    token_hash     bytea       NOT NULL UNIQUE,
    token_prefix   text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,  -- null: until revoked
    revoked_at     timestamptz
);

CREATE INDEX spectator_links_by_meshwork ON spectator_links (meshwork_id);

-- A link is symmetric, so it is one row, lower id first: linking b to a finds a's link to b.
CREATE TABLE meshwork_links (
    low_id         uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    high_id        uuid        NOT NULL REFERENCES meshworks (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
);

CREATE INDEX meshwork_links_by_high ON meshwork_links (high_id);

-- Events waiting for the relay, written in the same transaction as the change they report
-- (io.meshcode.core.outbox.Outbox.DDL).
CREATE TABLE outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
