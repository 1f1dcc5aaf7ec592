-- When a reservation was last renewed: a removed agent's purge releases what it reserved or
-- renewed up to its removal, and leaves a path the slot's next agent renewed after it (TasksPurge).
ALTER TABLE reservations ADD COLUMN renewed_at timestamptz;
