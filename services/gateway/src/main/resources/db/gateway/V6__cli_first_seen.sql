-- When the meshcode command first called with one of the account's owner keys: onboarding's
-- "CLI logged in" step (GET /v1/me). Set once, by whichever replica sees that call first
-- (UPDATE ... WHERE cli_first_seen_at IS NULL); null until then, and for every account made
-- before this migration until its CLI calls again. A nullable column: replicas of the version
-- before this one neither read nor write it, so a rolling update needs no second step.
ALTER TABLE accounts ADD COLUMN cli_first_seen_at timestamptz;
