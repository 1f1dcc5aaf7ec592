-- A ticket keeps only what its redemption reads: the kind and the hash of the key that minted it.
-- Who minted it is found again from that key when the session is used, so a revoked key ends it.

-- Tickets from before V3 carry no key hash; they expired within a minute of being minted.
DELETE FROM dashboard_tickets WHERE key_hash IS NULL;
ALTER TABLE dashboard_tickets ALTER COLUMN key_hash SET NOT NULL;

-- Expand, then contract: during a rolling update, replicas of the version before this one still
-- write who minted each ticket. The columns are no longer written or read from here on; a later
-- migration drops them, once no such replica can run (docs/ARCHITECTURE.md, PostgreSQL).
ALTER TABLE dashboard_tickets ALTER COLUMN subject DROP NOT NULL;
