-- A ticket keeps only what its redemption reads: the kind and the hash of the key that minted it.
-- Who minted it is found again from that key when the session is used, so a revoked key ends it.

-- Tickets from before V3 carry no key hash; they expired within a minute of being minted.
DELETE FROM dashboard_tickets WHERE key_hash IS NULL;

ALTER TABLE dashboard_tickets
    DROP COLUMN subject,
    DROP COLUMN name,
    DROP COLUMN is_admin,
    DROP COLUMN meshwork_id,
    DROP COLUMN meshwork,
    DROP COLUMN agent,
    ALTER COLUMN key_hash SET NOT NULL;
