-- A meshwork's live members and spectator links, in the order they are listed. Revoked rows stay
-- for the record and soon far outnumber the live ones: reading those through the indexes on the
-- meshwork alone meant reading every member and link the meshwork ever had.
CREATE INDEX members_live ON members (meshwork_id, joined_at, id) WHERE revoked_at IS NULL;
CREATE INDEX spectator_links_live ON spectator_links (meshwork_id, created_at, id) WHERE revoked_at IS NULL;
