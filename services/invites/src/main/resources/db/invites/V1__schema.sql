-- The invites service's schema. Only this service reads or writes it.
COMMENT ON SCHEMA invites IS 'MeshCode invites service: meshworks, agent slots, members, invites, scoped guest keys, spectator links and meshwork links';
