-- Accounts and their owner API keys. Keys are stored only as SHA-256 hashes.
CREATE TABLE accounts (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    is_admin    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- There is exactly one admin account: the one the bootstrap key belongs to.
CREATE UNIQUE INDEX accounts_single_admin ON accounts (is_admin) WHERE is_admin;

CREATE TABLE api_keys (
    id          uuid        PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_hash    bytea       NOT NULL UNIQUE,
    key_prefix  text        NOT NULL,
    label       text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX api_keys_by_account ON api_keys (account_id);
